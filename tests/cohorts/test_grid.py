"""The learner-by-module grid: what each cell says, filters, search, sorting, pagination,
bad input, scoping, the audit log and a query count that does not grow with the cohort."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cohorts.models import Membership
from cohorts.services import VIEW_ACTION
from modules.models import Enrolment
from tests.factories import OrganisationFactory, UserFactory, mentions

from .factories import add_members, progress

pytestmark = pytest.mark.django_db


def grid_url(cohort, **params):
    url = reverse("cohorts_admin:grid", args=[cohort.pk])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def members(cohort):
    return {m.learner.first_name: m.learner for m in Membership.objects.filter(cohort=cohort)}


@pytest.fixture
def progressed(cohort, cohort_modules):
    """Amira has completed both modules, Ben is part-way through the first (last seen 20
    days ago), Chloe has not started. Job roles differ so they can be filtered."""
    people = members(cohort)
    first, second = cohort_modules
    progress(people["Amira"], first, done=3, total=3, completed_days_ago=3, minutes=30)
    progress(people["Amira"], second, done=2, total=2, completed_days_ago=1, minutes=45)
    ben = progress(people["Ben"], first, done=1, total=3, minutes=10)
    Enrolment.objects.filter(pk=ben.pk).update(
        last_visited_at=timezone.now() - datetime.timedelta(days=20)
    )
    people["Amira"].job_role = "Matron"
    people["Amira"].save(update_fields=["job_role"])
    people["Chloe"].job_role = "Social worker"
    people["Chloe"].save(update_fields=["job_role"])
    return people


def names(response):
    return [row.learner.first_name for row in response.context["object_list"]]


def test_grid_shows_each_module_status_with_text_and_date(client, lead, cohort, progressed):
    client.force_login(lead)
    response = client.get(grid_url(cohort))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Seeing the system" in html and "Leading without authority" in html
    completed = timezone.localtime(
        Enrolment.objects.get(
            learner=progressed["Amira"], module__title="Seeing the system"
        ).completed_at
    ).date()
    assert f"Completed</span> {completed:%-d %b %Y}" in html
    assert '<span class="w-status w-status--primary">In progress</span>' in html
    assert '<span class="w-status">Not started</span>' in html
    assert "75 min" in html and "10 min" in html
    rows = {row.learner.first_name: row for row in response.context["object_list"]}
    assert [cell.label for cell in rows["Amira"].cells] == ["Completed", "Completed"]
    assert [cell.label for cell in rows["Ben"].cells] == ["In progress", "Not started"]
    assert [cell.label for cell in rows["Chloe"].cells] == ["Not started", "Not started"]
    assert rows["Amira"].completed_count == 2 and rows["Ben"].completed_count == 0


def test_viewing_the_grid_is_audit_logged(client, lead, cohort):
    client.force_login(lead)
    client.get(grid_url(cohort))
    entry = ModelLogEntry.objects.get(action=VIEW_ACTION)
    assert entry.user_id == lead.pk
    assert entry.object_id == str(cohort.pk)
    assert entry.data == {"detail": "learners"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"job_role": "matr"}, ["Amira"]),
        ({"job_role": "SOCIAL"}, ["Chloe"]),
        ({"status": "not_started"}, ["Chloe"]),
        ({"status": "in_progress"}, ["Ben"]),
        ({"status": "completed"}, ["Amira"]),
        ({"activity": "active_7"}, ["Amira"]),
        ({"activity": "inactive_14"}, ["Ben", "Chloe"]),
        ({"q": "okafor"}, ["Ben"]),
        ({"q": "amira khan"}, ["Amira"]),
        ({"status": "in_progress", "activity": "active_7"}, []),
    ],
)
def test_filters_and_search(client, lead, cohort, progressed, params, expected):
    client.force_login(lead)
    response = client.get(grid_url(cohort, **params))
    assert response.status_code == 200
    assert names(response) == expected


def test_search_by_email(client, lead, cohort, progressed):
    client.force_login(lead)
    response = client.get(grid_url(cohort, q=progressed["Chloe"].email.upper()))
    assert names(response) == ["Chloe"]


def test_organisation_filter_offers_only_the_cohorts_organisations(
    client, lead, cohort, other_cohort, progressed
):
    client.force_login(lead)
    council = progressed["Chloe"].organisation
    response = client.get(grid_url(cohort, organisation=council.pk))
    assert names(response) == ["Chloe"]
    choices = [str(org) for org in response.context["filters"].form.fields["organisation"].queryset]
    assert choices == ["Northfield City Council", "Riverside NHS Trust"]
    # The other cohort's organisation is not a choice, so it filters nothing.
    hidden_org = Membership.objects.get(cohort=other_cohort).learner.organisation
    response = client.get(grid_url(cohort, organisation=hidden_org.pk))
    assert response.status_code == 200
    assert sorted(names(response)) == ["Amira", "Ben", "Chloe"]
    assert "Zainab" not in response.content.decode()


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Amira", "Ben", "Chloe"]),
        ("-name", ["Chloe", "Ben", "Amira"]),
        ("organisation", ["Chloe", "Amira", "Ben"]),
        ("-organisation", ["Amira", "Ben", "Chloe"]),
        ("last_activity", ["Chloe", "Ben", "Amira"]),
        ("-last_activity", ["Amira", "Ben", "Chloe"]),
        ("completed", ["Ben", "Chloe", "Amira"]),
        ("-completed", ["Amira", "Ben", "Chloe"]),
        ("bogus", ["Amira", "Ben", "Chloe"]),
        ("-learner__password", ["Amira", "Ben", "Chloe"]),
    ],
)
def test_sorting(client, lead, cohort, progressed, ordering, expected):
    client.force_login(lead)
    response = client.get(grid_url(cohort, ordering=ordering))
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "999999999"},
        {"organisation": "abc"},
        {"status": "finished"},
        {"activity": "yesterday"},
        {"p": "999"},
        {"p": "abc"},
        {"p": "-1"},
        {"ordering": "'; drop table"},
        {"job_role": "x" * 500},
    ],
)
def test_bad_input_never_fails(client, lead, cohort, progressed, params):
    client.force_login(lead)
    response = client.get(grid_url(cohort, **params))
    assert response.status_code == 200
    results = client.get(reverse("cohorts_admin:grid_results", args=[cohort.pk]), params)
    assert results.status_code == 200


def test_an_unknown_organisation_is_reported_beside_the_field(client, lead, cohort):
    client.force_login(lead)
    response = client.get(grid_url(cohort, organisation="999999"))
    assert response.context["filters"].form.errors["organisation"]
    assert sorted(names(response)) == ["Amira", "Ben", "Chloe"]


def test_results_view_renders_the_table_alone(client, lead, cohort, progressed):
    client.force_login(lead)
    url = reverse("cohorts_admin:grid_results", args=[cohort.pk])
    response = client.get(url, {"status": "completed"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "Amira" in html and "Chloe" not in html


def test_paginated_fifty_a_page_in_the_database(client, lead, cohort):
    add_members(cohort, [UserFactory(first_name=f"Zed{n:02}") for n in range(57)])
    client.force_login(lead)
    first = client.get(grid_url(cohort))
    assert len(first.context["object_list"]) == 50
    assert first.context["paginator"].count == 60
    last = client.get(grid_url(cohort, p=2))
    assert len(last.context["object_list"]) == 10
    out_of_range = client.get(grid_url(cohort, p=999))
    assert out_of_range.status_code == 200
    assert len(out_of_range.context["object_list"]) == 10


def test_excluded_accounts_and_other_cohorts_do_not_appear(
    client, lead, cohort, other_cohort, progressed
):
    staff = UserFactory(first_name="Stella", last_name="Staffer", exclude_from_reports=True)
    add_members(cohort, [staff])
    client.force_login(lead)
    html = client.get(grid_url(cohort)).content.decode()
    assert "Stella" not in html and "Staffer" not in html
    assert "Zainab" not in html and "Hidden" not in html


@pytest.mark.parametrize("name", ["grid", "grid_results"])
def test_another_lead_gets_404(client, other_lead, cohort, other_cohort, name):
    client.force_login(other_lead)
    assert client.get(reverse(f"cohorts_admin:{name}", args=[cohort.pk])).status_code == 404
    assert client.get(reverse(f"cohorts_admin:{name}", args=[987654321])).status_code == 404
    assert not ModelLogEntry.objects.filter(action=VIEW_ACTION).exists()


def test_a_learner_in_the_cohort_cannot_see_the_grid(client, cohort):
    learner = Membership.objects.filter(cohort=cohort).first().learner
    client.force_login(learner)
    response = client.get(grid_url(cohort))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The admin is for staff" in page
    for other in cohort.members.exclude(pk=learner.pk):
        assert not mentions(page, other.first_name)


def test_site_admin_sees_any_cohort(client, site_admin, cohort):
    client.force_login(site_admin)
    response = client.get(grid_url(cohort))
    assert response.status_code == 200
    assert sorted(names(response)) == ["Amira", "Ben", "Chloe"]


def _grow(cohort, cohort_modules, count):
    trust = OrganisationFactory()
    learners = [UserFactory(organisation=trust) for _ in range(count)]
    add_members(cohort, learners)
    for index, learner in enumerate(learners):
        progress(learner, cohort_modules[index % 2], done=1, total=3, minutes=5)


def test_grid_queries_do_not_grow_with_the_cohort(
    client, lead, cohort, cohort_modules, django_assert_max_num_queries
):
    """No query per learner or per module cell: the rows, their figures and the page's
    cells are three queries whatever the cohort's size (3 or 60 members)."""
    client.force_login(lead)
    trust = members(cohort)["Amira"].organisation_id
    client.get(grid_url(cohort))  # warm the session and content-type caches
    with django_assert_max_num_queries(GRID_QUERIES):
        response = client.get(grid_url(cohort, organisation=trust))
    assert response.status_code == 200
    _grow(cohort, cohort_modules, 57)
    with django_assert_max_num_queries(GRID_QUERIES):
        response = client.get(grid_url(cohort))
    assert len(response.context["object_list"]) == 50
    with django_assert_max_num_queries(GRID_QUERIES):
        response = client.get(grid_url(cohort, status="in_progress", ordering="-last_activity"))
    assert response.context["paginator"].count == 57


GRID_QUERIES = 24
