"""The member's set pages: the ground rules come first, the set page shows members what
fellow members shared and facilitators only counts, and it costs the same queries however
big the set is. My learning links to the sets only for people in one."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_sets.models import CheckIn, SetMember, SharedCommitment
from tests.factories import UserFactory

from .conftest_guides import make_index
from .conftest_member import add_to_set, build_world, journal_commitment, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def set_world(db):
    return build_world()


def set_url(world):
    return reverse("learning_sets:set", args=[world.learning_set.pk])


def rules_url(world):
    return reverse("learning_sets:ground_rules", args=[world.learning_set.pk])


def test_a_new_member_sees_only_the_ground_rules_until_they_accept(client, set_world):
    newcomer = UserFactory(first_name="Nia", last_name="New")
    membership = add_to_set(set_world.learning_set, newcomer, accepted=False)
    client.force_login(newcomer)

    for url in (
        set_url(set_world),
        reverse("learning_sets:challenge", args=[set_world.learning_set.pk]),
        reverse("learning_sets:meeting_ics", args=[set_world.learning_set.pk, set_world.past.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == rules_url(set_world)

    page = client.get(rules_url(set_world)).content.decode()
    assert "What is said in the set stays in the set" in page
    assert "Questions before advice" in page
    assert "Listen to understand" in page
    assert "discharge pathway" not in page  # nothing of the set before accepting

    response = client.post(rules_url(set_world))
    assert response.status_code == 302
    assert response["Location"] == set_url(set_world)
    membership.refresh_from_db()
    accepted_at = membership.ground_rules_accepted_at
    assert accepted_at is not None

    # A second post (a double click) keeps the first acceptance.
    client.post(rules_url(set_world))
    membership.refresh_from_db()
    assert membership.ground_rules_accepted_at == accepted_at
    assert client.get(set_url(set_world)).status_code == 200


def test_the_ground_rules_page_does_not_accept_on_get(client, set_world):
    newcomer = UserFactory()
    membership = add_to_set(set_world.learning_set, newcomer, accepted=False)
    client.force_login(newcomer)
    client.get(rules_url(set_world))
    membership.refresh_from_db()
    assert membership.ground_rules_accepted_at is None


def test_a_member_sees_what_fellow_members_shared_and_never_their_journal(client, set_world):
    ben = set_world.people["fellow member"]
    SetMember.objects.filter(learner=ben).update(challenge="Discharges stall on Fridays.")
    journal_commitment(ben, "Private: I will avoid my manager.")
    client.force_login(set_world.people["set member"])

    page = client.get(set_url(set_world)).content.decode()

    assert "Ben Okafor" in page and "Northfield City Council" in page and "Social worker" in page
    assert "Discharges stall on Fridays." in page
    assert "Ask three people on the discharge pathway" in page
    assert "Small frictions add up." in page
    assert "Private: I will avoid my manager." not in page
    assert "Zainab" not in page  # another cohort's set
    assert "Dev Patel" not in page  # another set in the same cohort
    assert "Chloe Price" in page  # the facilitator


@pytest.mark.parametrize("role", ["lead of the cohort", "site admin"])
def test_a_lead_sees_members_and_counts_but_no_text(client, set_world, role):
    ben = set_world.people["fellow member"]
    SetMember.objects.filter(learner=ben).update(challenge="Discharges stall on Fridays.")
    client.force_login(set_world.people[role])

    response = client.get(set_url(set_world))
    page = response.content.decode()

    assert response.status_code == 200
    assert "Amira Khan" in page and "Ben Okafor" in page
    assert "Discharges stall on Fridays." not in page
    assert "discharge pathway" not in page
    assert "Small frictions" not in page
    assert response.context["page"].members[1].commitment_count == 1  # Ben, by first name
    assert response.context["page"].members[1].check_in_count == 1
    assert "Record attendance" in page


def test_a_member_facilitator_sees_text_as_a_member_and_facilitator_links(client, set_world):
    client.force_login(set_world.people["facilitator"])
    page = client.get(set_url(set_world)).content.decode()
    assert "discharge pathway" in page
    assert "Schedule a meeting" in page
    assert "Record attendance" in page


def test_the_members_cycle_shows_plan_act_observe_reflect_per_meeting(client, set_world):
    ben = set_world.people["fellow member"]
    later = meeting(set_world.learning_set, days=-1)
    client.force_login(ben)

    response = client.get(set_url(set_world))

    [cycle] = response.context["page"].cycles
    assert cycle.commitment == set_world.commitment
    assert [step.meeting for step in cycle.steps] == [set_world.past, later]
    assert cycle.steps[0].check_in == set_world.check_in
    assert cycle.steps[1].check_in is None
    page = response.content.decode()
    assert "Plan:" in page and "Spoke to two of the three." in page
    assert (
        reverse(
            "learning_sets:check_in",
            args=[set_world.learning_set.pk, set_world.commitment.pk, later.pk],
        )
        in page
    )


def test_meeting_times_are_shown_in_uk_time(client, set_world):
    set_world.upcoming.starts_at = datetime.datetime(2030, 7, 1, 13, 30, tzinfo=datetime.UTC)
    set_world.upcoming.save()
    client.force_login(set_world.people["set member"])
    page = client.get(set_url(set_world)).content.decode()
    assert "Monday 1 July 2030, 2:30pm" in page


def grow(world, size: int) -> None:
    """Add members, meetings, commitments and check-ins to the set, `size` of each."""
    learning_set = world.learning_set
    meetings = [meeting(learning_set, days=-10 - n) for n in range(size)]
    for number in range(size):
        person = UserFactory()
        add_to_set(learning_set, person)
        SetMember.objects.filter(learner=person).update(challenge=f"Challenge {number}")
        commitment = SharedCommitment.objects.create(
            learning_set=learning_set, learner=person, text=f"Commitment {number}"
        )
        for past in meetings[:3]:
            CheckIn.objects.create(commitment=commitment, meeting=past, status="done")
    own = world.people["set member"]
    for number in range(size):
        SharedCommitment.objects.create(
            learning_set=learning_set, learner=own, text=f"My commitment {number}"
        )


def page_queries(client, url) -> int:
    """The queries of the second of two requests: the first after a change re-reads what
    the change made stale in the cache (the site's settings), as a running site does once."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("role", ["set member", "lead of the cohort", "facilitator"])
def test_the_set_page_costs_the_same_queries_at_two_sizes(client, set_world, role):
    client.force_login(set_world.people[role])
    url = set_url(set_world)
    grow(set_world, 2)
    small = page_queries(client, url)
    grow(set_world, 8)
    large = page_queries(client, url)
    assert small == large, f"{small} queries with a small set, {large} with a large one"


def test_my_sets_lists_the_sets_a_person_is_in_or_facilitates(client, set_world):
    client.force_login(set_world.people["set member"])
    response = client.get(reverse("learning_sets:my_sets"))
    assert [item.learning_set for item in response.context["sets"]] == [set_world.learning_set]

    lead = set_world.people["lead of the cohort"]
    set_world.other_set.facilitator = lead
    set_world.other_set.save()
    client.force_login(lead)
    response = client.get(reverse("learning_sets:my_sets"))
    assert [item.learning_set for item in response.context["sets"]] == [set_world.other_set]
    assert "You are the facilitator." in response.content.decode()

    client.force_login(set_world.people["learner not in the cohort"])
    page = client.get(reverse("learning_sets:my_sets")).content.decode()
    assert "You are not in a learning set yet." in page


def test_my_learning_links_to_my_sets_only_for_people_in_a_set(client, set_world):
    link = reverse("learning_sets:my_sets")
    client.force_login(set_world.people["set member"])
    assert link in client.get(reverse("modules:my_learning")).content.decode()
    client.force_login(set_world.people["cohort member not in the set"])
    assert link not in client.get(reverse("modules:my_learning")).content.decode()


def test_an_unconfirmed_email_is_sent_to_confirm_it(client, set_world):
    person = UserFactory(verified=False)
    add_to_set(set_world.learning_set, person)
    client.force_login(person)
    response = client.get(set_url(set_world))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")


def test_the_set_page_never_writes(client, set_world):
    client.force_login(set_world.people["set member"])
    client.get(set_url(set_world))  # the site's settings row is made on a site's first page
    with CaptureQueriesContext(connection) as queries:
        client.get(set_url(set_world))
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]
    assert writes == []


def test_my_sets_and_the_share_page_cost_the_same_queries_at_two_sizes(client, set_world):
    amira = set_world.people["set member"]
    client.force_login(amira)
    my_sets = reverse("learning_sets:my_sets")
    share = reverse("learning_sets:commitments_from_lessons", args=[set_world.learning_set.pk])
    counts = []
    for size in (1, 6):
        for number in range(size):
            entry = journal_commitment(amira, f"Commitment {size}-{number}", f"b-{size}-{number}")
            if number % 2:
                SharedCommitment.objects.create(
                    learning_set=set_world.learning_set,
                    learner=amira,
                    journal_entry=entry,
                    text=entry.text,
                )
            facilitated = set_world.cohort.learning_sets.create(
                name=f"Set {size}-{number}", facilitator=amira
            )
            assert facilitated.pk
        counts.append((page_queries(client, my_sets), page_queries(client, share)))
    assert counts[0] == counts[1], counts


def test_the_facilitator_guides_are_linked_for_the_facilitator_only(client, set_world, home_page):
    index = make_index(home_page)
    set_world.people["facilitator"].refresh_from_db()

    client.force_login(set_world.people["facilitator"])
    assert f'href="{index.url}"' in client.get(set_url(set_world)).content.decode()

    client.force_login(set_world.people["set member"])
    assert f'href="{index.url}"' not in client.get(set_url(set_world)).content.decode()
