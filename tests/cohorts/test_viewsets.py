"""The Cohorts screens in the Wagtail admin (cohorts/viewsets.py, admin_forms.py, the menu
hook) and the "leave out of reports" flag on Wagtail's user screens."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from accounts.admin_forms import AdminUserCreationForm, AdminUserEditForm
from accounts.roles import COURSE_EDITOR
from cohorts import services
from cohorts.admin_forms import date_from_expiry, expiry_from_date
from cohorts.models import Cohort
from cohorts.permissions import visible_learners
from tests.factories import UserFactory
from tests.modules.factories import ModulePageFactory

from .factories import add_members, make_cohort, make_lead, with_role

INDEX = "cohort:index"


def edit_url(cohort):
    return reverse("cohort:edit", args=[cohort.pk])


def delete_url(cohort):
    return reverse("cohort:delete", args=[cohort.pk])


def denied(response) -> bool:
    """Wagtail's refusals: to the login page, to the dashboard with a message, or 403."""
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    if "/login/" in response.url:
        return True
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    return response.url == reverse("wagtailadmin_home") and any(
        "permission" in message for message in messages
    )


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def co_lead(db):
    return make_lead(first_name="Priya", last_name="Shah", email="priya@example.org")


def cohort_data(**overrides):
    data = {
        "name": "Northfield leaders 2026",
        "description": "Leaders from health, council and voluntary sector.",
        "start_date": "2026-03-02",
        "end_date": "2026-07-31",
        "capacity": "40",
        "join_link_expires": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Create ----------------------------------------------------------------------------------


def test_a_lead_creates_a_cohort_with_a_co_lead_and_modules(lead_client, lead, co_lead, programme):
    modules = [ModulePageFactory(parent=programme, title=t) for t in ("Seeing", "Leading")]

    response = lead_client.post(
        reverse("cohort:add"),
        cohort_data(
            co_leads=[co_lead.pk],
            modules=[module.pk for module in modules],
            programmes=[programme.pk],
            join_link_expires="2099-05-01",
        ),
    )

    assert response.status_code == 302
    assert response.url == reverse(INDEX)
    cohort = Cohort.objects.get(name="Northfield leaders 2026")
    assert set(cohort.leads.all()) == {lead, co_lead}
    assert set(cohort.modules.all()) == set(modules)
    assert list(cohort.programmes.all()) == [programme]
    assert cohort.created_by == lead
    assert cohort.start_date == datetime.date(2026, 3, 2)
    assert cohort.capacity == 40
    assert len(cohort.join_code) == 10
    # The link works to the end of 1 May 2099, UK time.
    assert date_from_expiry(cohort.code_expires_at) == datetime.date(2099, 5, 1)
    assert timezone.localtime(cohort.code_expires_at).time() == datetime.time.min
    assert ModelLogEntry.objects.filter(
        object_id=str(cohort.pk), action="wagtail.create", user=lead
    ).exists()


def test_the_create_form_offers_live_modules_and_only_programme_leads(
    lead_client, lead, co_lead, programme
):
    live = ModulePageFactory(parent=programme, title="Published module")
    draft = ModulePageFactory(parent=programme, title="Draft module", live=False)
    learner = UserFactory(first_name="Lorna", last_name="Learner")

    response = lead_client.get(reverse("cohort:add"))

    form = response.context["form"]
    assert list(form.fields["modules"].queryset) == [live]
    assert draft not in form.fields["modules"].queryset
    co_leads = set(form.fields["co_leads"].queryset)
    assert co_lead in co_leads
    assert learner not in co_leads
    assert lead not in co_leads  # the person creating it always leads it
    content = response.content.decode()
    assert "Priya Shah (priya@example.org)" in content
    assert "Lorna" not in content


def test_a_learner_cannot_be_made_a_co_lead(lead_client):
    learner = UserFactory()

    response = lead_client.post(reverse("cohort:add"), cohort_data(co_leads=[learner.pk]))

    assert response.status_code == 200
    assert "co_leads" in response.context["form"].errors
    assert not Cohort.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"start_date": "2026-07-31", "end_date": "2026-03-02"},
            "end_date",
            "The end date must be on or after the start date.",
        ),
        ({"name": "   "}, "name", "Give the cohort a name."),
        ({"capacity": "0"}, "capacity", "greater than or equal to 1"),
        ({"capacity": "many"}, "capacity", "Enter a whole number."),
        ({"start_date": "31/31/2026"}, "start_date", "Enter a valid date."),
        (
            {"join_link_expires": "2001-01-01"},
            "join_link_expires",
            "The join link cannot stop working before today.",
        ),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_created(
    lead_client, overrides, field, message
):
    response = lead_client.post(reverse("cohort:add"), cohort_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Cohort.objects.exists()


# Edit ------------------------------------------------------------------------------------


def test_a_lead_edits_their_cohort(lead_client, lead, cohort, co_lead, cohort_modules):
    members_before = set(cohort.members.all())

    response = lead_client.post(
        edit_url(cohort),
        cohort_data(
            name="Northfield leaders, spring",
            co_leads=[co_lead.pk],
            modules=[cohort_modules[0].pk],
        ),
    )

    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.name == "Northfield leaders, spring"
    assert set(cohort.leads.all()) == {lead, co_lead}
    assert list(cohort.modules.all()) == [cohort_modules[0]]
    assert set(cohort.members.all()) == members_before
    assert ModelLogEntry.objects.filter(
        object_id=str(cohort.pk), action="wagtail.edit", user=lead
    ).exists()


def test_the_edit_form_shows_the_cohort_as_it_is(lead_client, cohort, co_lead, cohort_modules):
    cohort.leads.add(co_lead)
    cohort.code_expires_at = expiry_from_date(datetime.date(2099, 1, 31))
    cohort.save()

    form = lead_client.get(edit_url(cohort)).context["form"]

    assert form["name"].value() == cohort.name
    assert list(form["co_leads"].value()) == [co_lead.pk]
    assert set(form["modules"].value()) == {module.pk for module in cohort_modules}
    assert form["join_link_expires"].value() == datetime.date(2099, 1, 31)


def test_saving_without_changing_the_expiry_keeps_the_exact_moment(lead_client, cohort):
    moment = timezone.now() + datetime.timedelta(days=3, hours=5)
    cohort.code_expires_at = moment
    cohort.save()
    day = date_from_expiry(moment).isoformat()

    lead_client.post(edit_url(cohort), cohort_data(name=cohort.name, join_link_expires=day))

    cohort.refresh_from_db()
    assert cohort.code_expires_at == moment


def test_dates_out_of_order_change_nothing_on_edit(lead_client, cohort):
    before = Cohort.objects.values().get(pk=cohort.pk)

    response = lead_client.post(
        edit_url(cohort),
        cohort_data(name="Renamed", start_date="2026-09-01", end_date="2026-08-01"),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date must be on or after the start date."
    ]
    assert Cohort.objects.values().get(pk=cohort.pk) == before


def test_a_refusal_from_the_service_is_shown_and_changes_nothing(client, site_admin, cohort):
    """A site admin who does not lead the cohort cannot leave it without a lead."""
    client.force_login(site_admin)

    response = client.post(edit_url(cohort), cohort_data(name="Renamed", co_leads=[]))

    assert response.status_code == 200
    assert "A cohort needs at least one lead." in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.name != "Renamed"
    assert cohort.leads.exists()


# Another lead's cohort, other roles ------------------------------------------------------


def test_another_leads_cohort_is_not_found_and_not_listed(lead_client, cohort, other_cohort):
    for url in (
        edit_url(other_cohort),
        delete_url(other_cohort),
        reverse("cohort:history", args=[other_cohort.pk]),
        reverse("cohort:usage", args=[other_cohort.pk]),
    ):
        assert lead_client.get(url).status_code == 404, url
        assert lead_client.post(url, cohort_data(name="Taken over")).status_code == 404, url

    other_cohort.refresh_from_db()
    assert other_cohort.name == "Harbour compassionate leaders"
    listing = lead_client.get(reverse(INDEX)).content.decode()
    assert cohort.name in listing
    assert other_cohort.name not in listing
    assert "Hidden" not in listing


def test_a_guessed_id_too_large_for_the_database_is_not_found(lead_client):
    assert lead_client.get("/admin/cohorts/edit/99999999999999999999999/").status_code == 404


def test_a_lead_deletes_their_own_cohort(lead_client, cohort):
    response = lead_client.post(delete_url(cohort))

    assert response.status_code == 302
    assert not Cohort.objects.filter(pk=cohort.pk).exists()


@pytest.mark.parametrize("role", [None, COURSE_EDITOR])
def test_learners_and_course_editors_cannot_reach_the_cohorts(client, cohort, role):
    user = with_role(UserFactory(), role) if role else with_role(UserFactory())
    client.force_login(user)

    for url in (reverse(INDEX), reverse("cohort:add"), edit_url(cohort), delete_url(cohort)):
        response = client.get(url)
        assert denied(response) or response.status_code == 404, (url, response.status_code)
        assert cohort.name not in response.content.decode()
    assert denied(client.post(reverse("cohort:add"), cohort_data()))
    assert Cohort.objects.count() == 1


def test_a_site_admin_sees_and_edits_every_cohort(client, site_admin, cohort, other_cohort):
    client.force_login(site_admin)

    listing = client.get(reverse(INDEX)).content.decode()

    assert cohort.name in listing and other_cohort.name in listing
    assert client.get(edit_url(other_cohort)).status_code == 200


# The listing -----------------------------------------------------------------------------


def test_the_listing_shows_dates_members_leads_and_links(lead_client, lead, cohort, co_lead):
    cohort.leads.add(co_lead)
    cohort.start_date = datetime.date(2026, 3, 2)
    cohort.save()
    add_members(cohort, [UserFactory(exclude_from_reports=True)])  # a test account

    response = lead_client.get(reverse(INDEX))

    row = next(row for row in response.context["object_list"] if row.pk == cohort.pk)
    assert row.member_count == 3  # the excluded test account is not counted
    content = response.content.decode()
    assert "Priya Shah, Tom Gallagher" in content
    assert "2 Mar 2026" in content
    assert f'href="{reverse("cohorts_admin:dashboard", args=[cohort.pk])}"' in content
    assert f'href="{reverse("cohorts_admin:grid", args=[cohort.pk])}"' in content
    assert f'href="{edit_url(cohort)}"' in content
    assert ">Dashboard<" in content.replace("\n", "").replace(" ", "")
    assert ">Learners<" in content.replace("\n", "").replace(" ", "")


def test_the_listing_costs_the_same_queries_for_2_and_20_cohorts(
    lead_client, lead, django_assert_max_num_queries
):
    def add_cohorts(count):
        for number in range(count):
            cohort = make_cohort(lead=lead, name=f"Cohort {Cohort.objects.count()}")
            cohort.leads.add(make_lead())
            add_members(cohort, [UserFactory() for _ in range(number % 3 + 1)])

    add_cohorts(2)
    lead_client.get(reverse(INDEX))  # warm caches
    with django_assert_max_num_queries(40) as small:
        response = lead_client.get(reverse(INDEX))
    assert len(response.context["object_list"]) == 2

    add_cohorts(18)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = lead_client.get(reverse(INDEX))
    assert len(response.context["object_list"]) == 20


# The menu --------------------------------------------------------------------------------


def sidebar(client) -> str:
    content = client.get(reverse("wagtailadmin_home")).content.decode()
    start = content.index('id="wagtail-sidebar-props"')
    return content[start : content.index("</script>", start)]


def test_a_programme_leads_menu_is_cohorts_only(lead_client):
    menu = sidebar(lead_client)

    assert '"name": "cohorts"' in menu
    for name in ("explorer", "images", "documents", "snippets", "settings", "reports", "help"):
        assert f'"name": "{name}"' not in menu, name
    assert '"name": "account"' in menu


def test_a_lead_who_is_also_a_course_editor_keeps_the_editors_menus(client, lead):
    lead.groups.add(Group.objects.get(name=COURSE_EDITOR))
    client.force_login(lead)

    menu = sidebar(client)

    assert '"name": "cohorts"' in menu
    assert '"name": "explorer"' in menu
    assert '"name": "help"' in menu


# Leave out of reports --------------------------------------------------------------------


def form_data(form) -> dict:
    """What the browser would post for this form as it stands."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data


def test_a_site_admin_leaves_a_test_account_out_of_reports(client, site_admin, lead, cohort):
    tester = cohort.members.first()
    client.force_login(site_admin)
    url = reverse("wagtailusers_users:edit", args=[tester.pk])
    page = client.get(url)
    data = form_data(page.context["form"])

    assert 'name="exclude_from_reports"' in page.content.decode()
    assert (
        'name="exclude_from_reports"'
        in client.get(reverse("wagtailusers_users:add")).content.decode()
    )
    response = client.post(url, {**data, "exclude_from_reports": "on"})

    assert response.status_code == 302, response.context["form"].errors
    tester.refresh_from_db()
    assert tester.exclude_from_reports
    assert tester not in visible_learners(lead)
    assert visible_learners(lead, cohort).count() == 2


def test_unticking_the_box_counts_the_account_again(client, site_admin, lead, cohort):
    tester = cohort.members.first()
    tester.exclude_from_reports = True
    tester.save()
    client.force_login(site_admin)
    url = reverse("wagtailusers_users:edit", args=[tester.pk])
    data = form_data(client.get(url).context["form"])
    data.pop("exclude_from_reports", None)

    client.post(url, {**data, "exclude_from_reports-shown": "1"})

    tester.refresh_from_db()
    assert not tester.exclude_from_reports
    assert tester in visible_learners(lead)


def test_a_user_form_that_did_not_show_the_box_leaves_the_flag_alone(client, site_admin):
    tester = UserFactory(exclude_from_reports=True, first_name="Tess")
    client.force_login(site_admin)
    url = reverse("wagtailusers_users:edit", args=[tester.pk])
    data = form_data(client.get(url).context["form"])
    data.pop("exclude_from_reports", None)

    response = client.post(url, {**data, "first_name": "Tessa"})

    assert response.status_code == 302
    tester.refresh_from_db()
    assert tester.first_name == "Tessa"
    assert tester.exclude_from_reports


def test_a_new_account_can_be_left_out_of_reports_from_the_start(db):
    form = AdminUserCreationForm(
        data={
            "email": "tester@example.org",
            "first_name": "Test",
            "last_name": "Account",
            "exclude_from_reports": "on",
        }
    )

    assert form.is_valid(), form.errors
    assert form.save().exclude_from_reports


def test_the_box_posts_a_marker_so_an_unticked_box_is_told_from_a_missing_one(db):
    html = str(AdminUserEditForm(instance=UserFactory())["exclude_from_reports"])

    assert 'type="checkbox" name="exclude_from_reports"' in html
    assert 'type="hidden" name="exclude_from_reports-shown" value="1"' in html


@pytest.mark.parametrize("ordering", ["name", "-start_date", "end_date", "-member_count"])
def test_the_listing_sorts_by_its_columns(lead_client, lead, cohort, ordering):
    small = make_cohort(lead=lead, name="A small cohort")
    add_members(small, [UserFactory()])

    response = lead_client.get(reverse(INDEX), {"ordering": ordering})

    assert response.status_code == 200
    assert {row.pk for row in response.context["object_list"]} == {cohort.pk, small.pk}
    if ordering == "-member_count":
        assert [row.member_count for row in response.context["object_list"]] == [3, 1]


# History and usage ------------------------------------------------------------------------


@pytest.fixture
def logged_cohorts(lead, cohort, other_cohort, site_admin):
    """Each cohort viewed once by its own lead, and ours exported by the site admin."""
    services.cohort_access_record(user=lead, cohort=cohort, action=services.VIEW_ACTION)
    services.cohort_access_record(
        user=site_admin, cohort=cohort, action=services.EXPORT_ACTION, detail="csv"
    )
    services.cohort_access_record(
        user=other_cohort.leads.get(), cohort=other_cohort, action=services.VIEW_ACTION
    )
    return cohort, other_cohort


@pytest.mark.parametrize("name", ["cohort:history", "cohort:history_results"])
def test_a_lead_sees_their_cohorts_history_and_only_its_entries(
    lead_client, site_admin, logged_cohorts, name
):
    cohort, other_cohort = logged_cohorts

    response = lead_client.get(reverse(name, args=[cohort.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Viewed the cohort&#x27;s learners" in page
    assert "Exported the cohort&#x27;s learners" in page
    # Names are escaped in the page ("O'Brien" is "O&#x27;Brien"); Faker makes such names.
    assert escape(site_admin.get_full_name()) in page
    assert escape(other_cohort.leads.get().get_full_name()) not in page
    assert other_cohort.name not in page


@pytest.mark.parametrize("name", ["cohort:history", "cohort:history_results", "cohort:usage"])
def test_another_leads_cohort_history_and_usage_are_not_found(lead_client, logged_cohorts, name):
    _cohort, other_cohort = logged_cohorts

    assert lead_client.get(reverse(name, args=[other_cohort.pk])).status_code == 404


@pytest.mark.parametrize("name", ["cohort:history", "cohort:history_results"])
def test_a_site_admin_sees_every_cohorts_history(client, site_admin, logged_cohorts, name):
    cohort, other_cohort = logged_cohorts
    client.force_login(site_admin)

    for shown, hidden in ((cohort, other_cohort), (other_cohort, cohort)):
        response = client.get(reverse(name, args=[shown.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert escape(shown.leads.get().get_full_name()) in page
        assert "Viewed the cohort&#x27;s learners" in page
        assert escape(hidden.leads.get().get_full_name()) not in page


@pytest.mark.parametrize("role", ["lead", "site admin"])
def test_a_cohorts_usage_page_shows_that_nothing_refers_to_it(
    client, lead, site_admin, logged_cohorts, role
):
    cohort, _other = logged_cohorts
    client.force_login(lead if role == "lead" else site_admin)

    response = client.get(reverse("cohort:usage", args=[cohort.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Usage" in page
    assert cohort.name in page
