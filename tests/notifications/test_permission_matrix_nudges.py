"""The nudge page, for every kind of visitor: the exact status, nothing sent by anyone who
may not, and nobody outside the visitor's cohorts ever nudged or named.

As for the cohort pages (tests/cohorts/test_permission_matrix.py): the admin refuses
anonymous visitors with its sign-in redirect (302) and signed-in people without admin
access with 403; a cohort the visitor may not see is "not found" (404), whether its id
exists or not.
"""

import uuid

import pytest
from django.urls import reverse

from notifications.models import Nudge, Reminder
from tests.cohorts.factories import make_lead, with_role
from tests.factories import UserFactory, mentions

from .conftest_nudges import *  # noqa: F403 - pytest fixtures
from .conftest_nudges import compose_data, members

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "learner",
    "member",
    "lead of another cohort",
    "co-lead",
    "lead",
    "course editor",
    "site admin",
]
ALLOWED = {"co-lead", "lead", "site admin"}


def expected(role: str, allowed_status: int) -> int:
    if role in ALLOWED:
        return allowed_status
    if role == "anonymous":
        return 302
    if role in {"learner", "member"}:
        return 403
    return 404  # lead of another cohort, course editor: the cohort is not theirs to see


@pytest.fixture
def world(lead, cohort, other_cohort, site_admin):
    co_lead = make_lead(first_name="Co", last_name="Lead")
    cohort.leads.add(co_lead)
    return {
        "cohort": cohort,
        "other": other_cohort,
        "anonymous": None,
        "learner": with_role(UserFactory()),
        "member": cohort.members.order_by("first_name").first(),
        "lead of another cohort": other_cohort.leads.get(),
        "co-lead": co_lead,
        "lead": lead,
        "course editor": with_role(UserFactory(), "Course editor"),
        "site admin": site_admin,
    }


@pytest.mark.parametrize("role", ROLES)
def test_the_nudge_page_answers_each_role_exactly(client, world, role, mailoutbox):
    user = world[role]
    if user is not None:
        client.force_login(user)
    url = reverse("notifications_admin:nudge", args=[world["cohort"].pk])
    chosen = members(world["cohort"])
    hidden = world["other"].members.get()

    page = client.get(url)
    choose = client.post(url, {"choose": "chosen", "learner": [p.pk for p in chosen]})
    choose_all = client.post(url, {"choose": "all", "grid_query": ""})
    sent = client.post(url, {**compose_data([*chosen, hidden]), "action": "send"})

    assert page.status_code == expected(role, 200), role
    assert choose.status_code == expected(role, 200), role
    assert choose_all.status_code == expected(role, 200), role
    assert sent.status_code == expected(role, 302), role
    for response in (page, choose, choose_all):
        assert not mentions(response.content.decode(), hidden.get_full_name())
        assert hidden.email not in response.content.decode()
    if role in ALLOWED:
        assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in chosen)
        assert Nudge.objects.get().sent_by == user
    else:
        assert not mailoutbox and not Nudge.objects.exists() and not Reminder.objects.exists()
    assert not Reminder.objects.filter(person=hidden).exists()


@pytest.mark.parametrize("cohort_id", ["guessed", "9" * 18, "9" * 20])
def test_guessed_and_huge_cohort_ids_are_not_found_even_for_a_site_admin(client, world, cohort_id):
    client.force_login(world["site admin"])
    if cohort_id == "guessed":
        cohort_id = str(world["other"].pk + 100)
    url = f"/admin/cohorts/{cohort_id}/nudge/"

    assert client.get(url).status_code == 404
    assert (
        client.post(url, {**compose_data(members(world["cohort"])), "action": "send"}).status_code
        == 404
    )
    assert not Nudge.objects.exists()


def test_a_lead_cannot_nudge_another_cohorts_learners_through_their_own_cohort(
    client, world, mailoutbox
):
    """The other cohort's learner's id, injected into our cohort's form, and our form
    posted to the other cohort's address: neither nudges anyone there."""
    client.force_login(world["lead"])
    hidden = world["other"].members.get()
    ours = reverse("notifications_admin:nudge", args=[world["cohort"].pk])
    theirs = reverse("notifications_admin:nudge", args=[world["other"].pk])

    only_hidden = client.post(ours, {**compose_data([hidden]), "action": "send"})
    to_theirs = client.post(theirs, {**compose_data([hidden]), "action": "send"})
    chosen = client.post(ours, {"choose": "chosen", "learner": [hidden.pk]}, follow=True)

    assert only_hidden.status_code == 200
    assert "Nobody you chose can be sent a nudge now" in only_hidden.content.decode()
    assert to_theirs.status_code == 404
    assert not mentions(chosen.content.decode(), hidden.get_full_name())
    assert not mailoutbox and not Nudge.objects.exists()


def test_a_repeated_run_id_from_another_cohort_does_not_count_as_sent(client, world, mailoutbox):
    """A form's run id only matches nudges of the same cohort: reusing another cohort's
    run id neither reveals nor blocks anything."""
    run = uuid.uuid4()
    client.force_login(world["lead of another cohort"])
    client.post(
        reverse("notifications_admin:nudge", args=[world["other"].pk]),
        {**compose_data([world["other"].members.get()], run=run), "action": "send"},
    )
    client.force_login(world["lead"])

    client.post(
        reverse("notifications_admin:nudge", args=[world["cohort"].pk]),
        {**compose_data(members(world["cohort"]), run=run), "action": "send"},
    )

    assert Nudge.objects.count() == 2
    assert len(mailoutbox) == 4
