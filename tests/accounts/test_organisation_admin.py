"""The organisation screens in the Wagtail admin, and the organisation in the user screens."""

import html
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import ModelLogEntry

from accounts.admin_forms import AdminUserCreationForm, AdminUserEditForm
from accounts.admin_views import APPROVE_LOG_ACTION, MERGE_LOG_ACTION, UserViewSet
from accounts.apps_wagtailusers import UsersAppConfig
from accounts.models import Organisation, User
from accounts.roles import COURSE_EDITOR, SITE_ADMIN
from tests.factories import OrganisationFactory, UserFactory, search_index_add

pytestmark = pytest.mark.django_db

INDEX_URL = "/admin/organisations/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def merge_url(organisation_or_pk) -> str:
    pk = getattr(organisation_or_pk, "pk", organisation_or_pk)
    return reverse("organisations:merge", args=[pk])


def messages_of(response) -> list[str]:
    """Message texts; Wagtail's admin messages are HTML (escaped, with room for buttons)."""
    return [html.unescape(str(m)).strip() for m in get_messages(response.wsgi_request)]


def in_group(name: str, **kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def site_admin(db):
    return in_group(SITE_ADMIN, email="site.admin@example.org", organisation=None)


@pytest.fixture
def course_editor(db):
    return in_group(COURSE_EDITOR, email="course.editor@example.org", organisation=None)


@pytest.fixture
def site_admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def searchable(**fields) -> Organisation:
    """An organisation in the search index, as the task after its save puts it on the
    site (OrganisationFactory leaves it out), so that the listing's search finds it."""
    organisation = OrganisationFactory(**fields)
    search_index_add(organisation)
    return organisation


@pytest.fixture
def leeds():
    return searchable(name="Leeds City Council", type=Organisation.Type.LOCAL_AUTHORITY)


@pytest.fixture
def leeds_duplicate():
    return searchable(
        name="Leeds CC", type=Organisation.Type.LOCAL_AUTHORITY, status=Organisation.Status.PENDING
    )


@pytest.fixture
def hospice():
    return searchable(name="York Hospice", type=Organisation.Type.CHARITY)


def assert_denied(response):
    """Wagtail's answer to PermissionDenied in the admin: back to the dashboard, with a message.

    (Requests made by the admin's JavaScript get a bare 403 instead; see the XHR tests.)
    """
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert "Sorry, you do not have permission to access this area." in messages_of(response)


# Index -----------------------------------------------------------------------------------


def test_index_lists_organisations_with_type_status_and_member_count(
    site_admin_client, leeds, leeds_duplicate
):
    UserFactory.create_batch(3, organisation=leeds)

    response = site_admin_client.get(INDEX_URL)

    assert response.status_code == 200
    rows = {o.name: o for o in response.context["object_list"]}
    assert rows["Leeds City Council"].member_count == 3
    assert rows["Leeds CC"].member_count == 0
    html = response.content.decode()
    assert "Local authority" in html
    assert "Pending review" in html
    assert "w-status--primary" in html  # approved organisations get the primary tag


def test_index_is_ordered_by_name_without_regard_to_case(site_admin_client):
    for name in ["banbury Cross Practice", "Airedale Trust", "Calder Valley Carers"]:
        OrganisationFactory(name=name)

    response = site_admin_client.get(INDEX_URL)

    names = [o.name for o in response.context["object_list"]]
    assert names == sorted(names, key=str.lower)


def test_index_search_finds_organisations_by_name(
    site_admin_client, leeds, leeds_duplicate, hospice
):
    response = site_admin_client.get(INDEX_URL, {"q": "leed"})

    assert response.status_code == 200
    names = {o.name for o in response.context["object_list"]}
    assert names == {"Leeds City Council", "Leeds CC"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "pending"}, {"Leeds CC"}),
        ({"status": "approved"}, {"Leeds City Council", "York Hospice"}),
        ({"type": ["charity"]}, {"York Hospice"}),
        (
            {"type": ["charity", "local_authority"]},
            {"Leeds City Council", "Leeds CC", "York Hospice"},
        ),
        ({"q": "leeds", "status": "approved"}, {"Leeds City Council"}),
        ({"q": "leeds", "ordering": "-member_count"}, {"Leeds City Council", "Leeds CC"}),
        ({"q": "leeds", "ordering": "created_at"}, {"Leeds City Council", "Leeds CC"}),
        ({"q": "york", "ordering": "-name", "type": ["charity"]}, {"York Hospice"}),
    ],
)
def test_index_filters_search_and_sorting_combine(
    site_admin_client, leeds, leeds_duplicate, hospice, params, expected
):
    response = site_admin_client.get(INDEX_URL, params)

    assert response.status_code == 200
    assert {o.name for o in response.context["object_list"]} == expected


def test_index_sorts_by_member_count(site_admin_client, leeds, leeds_duplicate, hospice):
    UserFactory.create_batch(2, organisation=hospice)
    UserFactory(organisation=leeds)

    response = site_admin_client.get(INDEX_URL, {"ordering": "-member_count"})

    assert [o.name for o in response.context["object_list"]] == [
        "York Hospice",
        "Leeds City Council",
        "Leeds CC",
    ]


def test_index_csv_export_has_the_member_counts(site_admin_client, leeds):
    UserFactory.create_batch(2, organisation=leeds)

    response = site_admin_client.get(INDEX_URL, {"export": "csv"})

    content = b"".join(response.streaming_content).decode()
    assert content.splitlines()[0] == "Name,Type,Status,ODS code,Members,Created at"
    assert "Leeds City Council,Local authority,Approved,,2," in content


def _index_queries(client, params=None) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX_URL, params or {})
    assert response.status_code == 200
    return queries


@pytest.mark.parametrize(
    "params",
    [{}, {"q": "partnership"}, {"status": "approved", "type": ["nhs_trust"], "ordering": "-name"}],
)
def test_index_query_count_does_not_grow_with_organisations_or_members(site_admin_client, params):
    """One query lists organisations with their member counts; no query per row (N+1)."""

    def add_organisations(count):
        for organisation in OrganisationFactory.create_batch(count):
            UserFactory.create_batch(2, organisation=organisation)

    add_organisations(2)
    _index_queries(site_admin_client, params)  # warm the caches (content types, sites)
    with_two = _index_queries(site_admin_client, params)

    add_organisations(18)
    with_twenty = _index_queries(site_admin_client, params)

    assert len(with_twenty.captured_queries) == len(with_two.captured_queries), "\n".join(
        query["sql"] for query in with_twenty.captured_queries
    )


# Who may see the screens ------------------------------------------------------------------


def test_learner_without_admin_access_is_told_the_admin_is_for_staff(client, learner, leeds):
    client.force_login(learner)

    for url in (INDEX_URL, merge_url(leeds)):
        response = client.get(url)
        assert response.status_code == 403
        assert "The admin is for staff" in response.content.decode()
        assert leeds.name not in response.content.decode()


def test_course_editor_is_refused_the_index_and_the_merge_view(
    client, course_editor, leeds, leeds_duplicate
):
    member = UserFactory(organisation=leeds_duplicate)
    client.force_login(course_editor)

    assert_denied(client.get(INDEX_URL))
    assert_denied(client.get(merge_url(leeds_duplicate)))
    assert_denied(
        client.post(merge_url(leeds_duplicate), {"target": leeds.pk, "confirmed": "true"})
    )
    assert client.get(INDEX_URL, **XHR).status_code == 403
    assert client.get(merge_url(leeds_duplicate), **XHR).status_code == 403

    member.refresh_from_db()
    assert member.organisation == leeds_duplicate
    assert Organisation.objects.filter(pk=leeds_duplicate.pk).exists()


def test_course_editor_has_no_organisations_menu_item(client, course_editor, site_admin):
    client.force_login(course_editor)
    assert INDEX_URL not in client.get("/admin/").content.decode()

    client.force_login(site_admin)
    assert INDEX_URL in client.get("/admin/").content.decode()


def test_changing_organisations_without_delete_permission_does_not_allow_merging(
    client, leeds, leeds_duplicate
):
    changer = UserFactory()
    changer.user_permissions.add(
        *Group.objects.get(name=SITE_ADMIN).permissions.exclude(codename="delete_organisation")
    )
    client.force_login(changer)

    assert client.get(INDEX_URL).status_code == 200
    assert merge_url(leeds_duplicate) not in client.get(INDEX_URL).content.decode()
    assert_denied(client.get(merge_url(leeds_duplicate)))


# Merge -------------------------------------------------------------------------------------


def test_merge_offers_every_other_organisation(site_admin_client, leeds, leeds_duplicate, hospice):
    response = site_admin_client.get(merge_url(leeds_duplicate))

    assert response.status_code == 200
    choices = set(response.context["form"].fields["target"].queryset)
    assert {leeds, hospice} <= choices
    assert choices == set(Organisation.objects.exclude(pk=leeds_duplicate.pk))
    assert 'name="target"' in response.content.decode()


def test_index_and_edit_page_link_to_merge(site_admin_client, leeds_duplicate):
    assert merge_url(leeds_duplicate) in site_admin_client.get(INDEX_URL).content.decode()
    edit = site_admin_client.get(reverse("organisations:edit", args=[leeds_duplicate.pk]))
    assert merge_url(leeds_duplicate) in edit.content.decode()


def test_merge_shows_a_summary_before_it_changes_anything(
    site_admin_client, leeds, leeds_duplicate
):
    UserFactory.create_batch(3, organisation=leeds_duplicate)

    response = site_admin_client.post(merge_url(leeds_duplicate), {"target": leeds.pk})

    assert response.status_code == 200
    assert (
        "3 members will move from Leeds CC to Leeds City Council; Leeds CC will be deleted."
        in " ".join(response.content.decode().split())
    )
    assert leeds_duplicate.members.count() == 3
    assert Organisation.objects.filter(pk=leeds_duplicate.pk).exists()


def test_merge_moves_the_members_logs_and_returns_to_the_index(
    site_admin_client, site_admin, leeds, leeds_duplicate
):
    movers = UserFactory.create_batch(3, organisation=leeds_duplicate)
    stayer = UserFactory(organisation=leeds)
    source_pk = leeds_duplicate.pk

    response = site_admin_client.post(
        merge_url(leeds_duplicate), {"target": leeds.pk, "confirmed": "true"}
    )

    assert response.status_code == 302
    assert response.url == INDEX_URL
    assert "'Leeds CC' merged into 'Leeds City Council': 3 members moved." in messages_of(response)
    assert not Organisation.objects.filter(pk=source_pk).exists()
    assert set(leeds.members.all()) == {*movers, stayer}
    assert not User.objects.filter(organisation_id=source_pk).exists()

    entry = ModelLogEntry.objects.get(action=MERGE_LOG_ACTION)
    assert entry.object_id == str(leeds.pk)
    assert entry.user_id == site_admin.pk
    assert entry.data == {"source": {"id": source_pk, "name": "Leeds CC"}, "members_moved": 3}
    assert "Merged 'Leeds CC' into this organisation; 3 members moved." == entry.message

    history = site_admin_client.get(reverse("organisations:history", args=[leeds.pk]))
    assert "Merged &#x27;Leeds CC&#x27; into this organisation" in history.content.decode()


def test_merge_into_itself_is_a_form_error(site_admin_client, leeds_duplicate):
    member = UserFactory(organisation=leeds_duplicate)

    response = site_admin_client.post(
        merge_url(leeds_duplicate), {"target": leeds_duplicate.pk, "confirmed": "true"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["target"] == [
        "An organisation cannot be merged into itself. Choose another one."
    ]
    member.refresh_from_db()
    assert member.organisation == leeds_duplicate


@pytest.mark.parametrize("target", ["", "999999", "not-a-number"])
def test_merge_into_a_missing_organisation_is_a_form_error(
    site_admin_client, leeds_duplicate, target
):
    response = site_admin_client.post(
        merge_url(leeds_duplicate), {"target": target, "confirmed": "true"}
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["target"]
    assert error in response.content.decode()
    assert Organisation.objects.filter(pk=leeds_duplicate.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisations/merge/999999/",
        "/admin/organisations/merge/",
        "/admin/organisations/merge/abc/",
    ],
)
def test_merge_of_a_missing_organisation_is_not_found(site_admin_client, url):
    assert site_admin_client.get(url).status_code == 404
    assert site_admin_client.post(url, {"target": "1", "confirmed": "true"}).status_code == 404


def test_merge_that_other_records_block_changes_nothing(site_admin_client, leeds, leeds_duplicate):
    member = UserFactory(organisation=leeds_duplicate)

    with mock.patch.object(Organisation, "delete", side_effect=IntegrityError("blocked")):
        response = site_admin_client.post(
            merge_url(leeds_duplicate), {"target": leeds.pk, "confirmed": "true"}
        )

    assert response.status_code == 200
    assert "could not be merged" in response.content.decode()
    member.refresh_from_db()
    assert member.organisation == leeds_duplicate
    assert not ModelLogEntry.objects.filter(action=MERGE_LOG_ACTION).exists()


# Approve -----------------------------------------------------------------------------------


def test_approve_confirms_then_approves_and_logs(site_admin_client, site_admin, leeds_duplicate):
    url = reverse("organisations:approve", args=[leeds_duplicate.pk])
    assert url in site_admin_client.get(INDEX_URL).content.decode()

    confirm = site_admin_client.get(url)
    assert confirm.status_code == 200
    assert "Yes, approve" in confirm.content.decode()

    response = site_admin_client.post(url)

    assert response.status_code == 302
    assert response.url == INDEX_URL
    leeds_duplicate.refresh_from_db()
    assert leeds_duplicate.status == Organisation.Status.APPROVED
    entry = ModelLogEntry.objects.get(action=APPROVE_LOG_ACTION)
    assert (entry.object_id, entry.user_id) == (str(leeds_duplicate.pk), site_admin.pk)


def test_approve_is_not_offered_for_an_approved_organisation(site_admin_client, leeds):
    url = reverse("organisations:approve", args=[leeds.pk])
    assert url not in site_admin_client.get(INDEX_URL).content.decode()

    assert "already approved" in site_admin_client.get(url).content.decode()
    response = site_admin_client.post(url)
    assert response.status_code == 302
    assert not ModelLogEntry.objects.filter(action=APPROVE_LOG_ACTION).exists()


def test_course_editor_cannot_approve(client, course_editor, leeds_duplicate):
    client.force_login(course_editor)

    assert_denied(client.post(reverse("organisations:approve", args=[leeds_duplicate.pk])))
    leeds_duplicate.refresh_from_db()
    assert leeds_duplicate.is_pending


def bulk_approve_url(*ids, **params) -> str:
    query = urlencode([*(("id", pk) for pk in ids), *params.items()], doseq=True)
    return reverse("wagtail_bulk_action", args=["accounts", "organisation", "approve"]) + (
        f"?{query}" if query else ""
    )


def test_index_offers_bulk_approve(site_admin_client, leeds):
    html = site_admin_client.get(INDEX_URL).content.decode()

    assert "data-bulk-action-footer" in html
    assert bulk_approve_url() in html
    assert f'aria-describedby="organisation_{leeds.pk}_title"' in html


def test_bulk_approve_approves_the_pending_ones_and_logs_each(
    site_admin_client, site_admin, leeds, leeds_duplicate
):
    hebden = OrganisationFactory(name="Hebden Bridge Men's Shed", status="pending")
    url = bulk_approve_url(leeds.pk, leeds_duplicate.pk, hebden.pk, next=INDEX_URL)

    confirm = site_admin_client.get(url)
    assert confirm.status_code == 200
    html = " ".join(confirm.content.decode().split())
    assert "Leeds CC" in html and "Hebden Bridge Men&#x27;s Shed" in html
    assert "These are approved already and will not change:" in html
    assert "<li>Leeds City Council</li>" in html

    response = site_admin_client.post(url)

    assert response.status_code == 302
    assert response.url == INDEX_URL
    assert "2 organisations approved." in messages_of(response)
    assert not Organisation.objects.pending().exists()
    logged = ModelLogEntry.objects.filter(action=APPROVE_LOG_ACTION, user=site_admin)
    assert set(logged.values_list("object_id", flat=True)) == {
        str(leeds_duplicate.pk),
        str(hebden.pk),
    }


def test_bulk_approve_of_all_in_listing_keeps_to_the_search_and_filters(
    site_admin_client, leeds_duplicate
):
    elsewhere = searchable(name="Hebden Bridge Men's Shed", status="pending")

    response = site_admin_client.post(bulk_approve_url("all", q="leeds", status="pending"))

    assert response.status_code == 302
    leeds_duplicate.refresh_from_db()
    elsewhere.refresh_from_db()
    assert not leeds_duplicate.is_pending
    assert elsewhere.is_pending


@pytest.mark.parametrize("ids", [("999999",), ("abc",), ()])
def test_bulk_approve_of_unknown_ids_is_not_found(site_admin_client, ids):
    assert site_admin_client.get(bulk_approve_url(*ids)).status_code == 404


def test_course_editor_cannot_bulk_approve(client, course_editor, leeds_duplicate):
    client.force_login(course_editor)

    assert_denied(client.post(bulk_approve_url(leeds_duplicate.pk)))
    leeds_duplicate.refresh_from_db()
    assert leeds_duplicate.is_pending


# Create and edit ---------------------------------------------------------------------------


def _organisation_data(**overrides):
    return {
        "name": "Kirklees Council",
        "type": Organisation.Type.LOCAL_AUTHORITY,
        "status": Organisation.Status.APPROVED,
        "ods_code": "",
        **overrides,
    }


def test_create_an_organisation(site_admin_client):
    response = site_admin_client.post(
        reverse("organisations:add"),
        _organisation_data(name="  Kirklees   Council ", ods_code="e08000034"),
    )

    assert response.status_code == 302
    created = Organisation.objects.get()
    assert (created.name, created.ods_code) == ("Kirklees Council", "E08000034")
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(created.pk)).exists()


def test_create_with_a_name_that_differs_only_in_case_is_a_field_error(site_admin_client, leeds):
    response = site_admin_client.post(
        reverse("organisations:add"), _organisation_data(name="LEEDS city council")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "An organisation with this name already exists."
    ]
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("name", ["", "   ", "!!!", "---"])
def test_create_with_an_unrecognisable_name_is_a_field_error(site_admin_client, name):
    response = site_admin_client.post(reverse("organisations:add"), _organisation_data(name=name))

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not Organisation.objects.exists()


def test_create_reports_a_name_taken_a_moment_ago_as_a_field_error(site_admin_client):
    with mock.patch.object(Organisation, "save", side_effect=IntegrityError("unique")):
        response = site_admin_client.post(reverse("organisations:add"), _organisation_data())

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "An organisation with this name already exists."
    ]


def test_edit_may_change_the_case_of_its_own_name_but_not_take_another(
    site_admin_client, leeds, hospice
):
    url = reverse("organisations:edit", args=[leeds.pk])

    taken = site_admin_client.post(url, _organisation_data(name="york hospice"))
    assert taken.status_code == 200
    assert taken.context["form"].errors["name"] == [
        "An organisation with this name already exists."
    ]

    recased = site_admin_client.post(url, _organisation_data(name="LEEDS City Council"))
    assert recased.status_code == 302
    leeds.refresh_from_db()
    assert leeds.name == "LEEDS City Council"


def test_edit_refuses_an_ods_code_with_punctuation(site_admin_client, leeds):
    response = site_admin_client.post(
        reverse("organisations:edit", args=[leeds.pk]), _organisation_data(ods_code="RR8; DROP")
    )

    assert response.status_code == 200
    assert "ods_code" in response.context["form"].errors


# Delete ------------------------------------------------------------------------------------


def test_delete_with_members_is_refused_with_a_way_forward(site_admin_client, leeds):
    UserFactory.create_batch(2, organisation=leeds)
    url = reverse("organisations:delete", args=[leeds.pk])

    page = site_admin_client.get(url)
    assert page.status_code == 200
    html = " ".join(page.content.decode().split())
    assert "Leeds City Council cannot be deleted because 2 people belong to it." in html
    assert "Yes, delete" not in html
    assert merge_url(leeds) in html

    response = site_admin_client.post(url)
    assert response.status_code == 302
    assert response.url == url
    assert any("cannot be deleted because 2 people" in m for m in messages_of(response))
    assert Organisation.objects.filter(pk=leeds.pk).exists()
    assert leeds.members.count() == 2


def test_delete_when_someone_joins_at_the_last_moment_is_refused(site_admin_client, leeds):
    url = reverse("organisations:delete", args=[leeds.pk])
    UserFactory(organisation=leeds)

    # The count said nobody belonged; the database's PROTECT says otherwise.
    with mock.patch(
        "accounts.admin_views.OrganisationDeleteView.member_count", new_callable=mock.PropertyMock
    ) as member_count:
        member_count.side_effect = [0, 1, 1]
        response = site_admin_client.post(url)

    assert response.status_code == 302
    assert response.url == url
    assert Organisation.objects.filter(pk=leeds.pk).exists()


def test_delete_without_members(site_admin_client, leeds):
    url = reverse("organisations:delete", args=[leeds.pk])
    assert "Yes, delete" in site_admin_client.get(url).content.decode()

    response = site_admin_client.post(url)

    assert response.status_code == 302
    assert not Organisation.objects.filter(pk=leeds.pk).exists()


# Users: organisation and job role in Wagtail's user screens ------------------------------


def _admin_request(rf, method, path, user, data=None):
    request = getattr(rf, method)(path, data or {})
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def user_viewset():
    """Our user viewset under Wagtail's URL names, so it can run before settings switch."""
    return UserViewSet("wagtailusers_users", url_prefix="users")


def test_users_app_config_points_at_our_viewset():
    assert UsersAppConfig.user_viewset == "accounts.admin_views.UserViewSet"
    assert UsersAppConfig.label == "wagtailusers"


def test_user_edit_screen_shows_and_saves_organisation_and_job_role(
    rf, user_viewset, site_admin, leeds, leeds_duplicate
):
    person = UserFactory(organisation=leeds, job_role="Social worker")
    path = f"/admin/users/{person.pk}/"

    page = user_viewset.edit_view(_admin_request(rf, "get", path, site_admin), pk=person.pk)
    page.render()
    html = page.content.decode()
    assert 'name="organisation"' in html
    assert 'name="job_role"' in html
    assert "Leeds CC (pending review)" in html

    data = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "organisation": leeds_duplicate.pk,
        "job_role": "  Team leader ",
        "is_active": "on",
    }
    response = user_viewset.edit_view(
        _admin_request(rf, "post", path, site_admin, data), pk=person.pk
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.organisation, person.job_role) == (leeds_duplicate, "Team leader")


def test_user_create_screen_has_organisation_and_job_role(rf, user_viewset, site_admin):
    page = user_viewset.add_view(_admin_request(rf, "get", "/admin/users/add/", site_admin))
    page.render()

    assert 'name="organisation"' in page.content.decode()
    assert 'name="job_role"' in page.content.decode()


def test_user_creation_form_saves_organisation_and_job_role(leeds):
    form = AdminUserCreationForm(
        data={
            "email": "New.Starter@Example.org",
            "first_name": "New",
            "last_name": "Starter",
            "organisation": leeds.pk,
            "job_role": "Care coordinator",
        }
    )

    assert form.is_valid(), form.errors
    person = form.save()
    assert (person.email, person.organisation, person.job_role) == (
        "new.starter@example.org",
        leeds,
        "Care coordinator",
    )


def test_user_edit_form_allows_no_organisation(leeds):
    person = UserFactory(organisation=leeds)
    form = AdminUserEditForm(
        instance=person,
        data={"email": person.email, "first_name": "A", "last_name": "B", "is_active": "on"},
    )

    assert form.is_valid(), form.errors
    assert form.save().organisation is None


def test_user_index_shows_organisations_without_a_query_per_row(rf, user_viewset, site_admin):
    def index_queries():
        request = _admin_request(rf, "get", "/admin/users/", site_admin)
        with CaptureQueriesContext(connection) as queries:
            response = user_viewset.index_view(request)
            response.render()
        return response, len(queries.captured_queries)

    UserFactory.create_batch(2)
    index_queries()
    _, with_few = index_queries()
    UserFactory.create_batch(15)
    response, with_many = index_queries()

    assert with_many == with_few
    html = response.content.decode()
    for organisation in Organisation.objects.filter(members__isnull=False):
        assert organisation.name in html


def test_installed_user_screens_show_the_organisation(site_admin_client, site_admin):
    assert apps.get_app_config("wagtailusers").user_viewset == UsersAppConfig.user_viewset
    response = site_admin_client.get(reverse("wagtailusers_users:edit", args=[site_admin.pk]))

    assert 'name="organisation"' in response.content.decode()
