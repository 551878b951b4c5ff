"""The lead's set pages in the Wagtail admin: what they show (never what members wrote),
what each action does, the error summary, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_sets.models import LearningSet, SetMember, SharedCommitment
from tests.cohorts.factories import add_members

from .conftest_guides import make_index
from .factories import (
    check_in,
    make_meeting,
    make_people,
    make_set,
    record_attendance,
    share_commitment,
)

SECRET_COMMITMENT = "Tell my director the rota is unsafe"
SECRET_LEARNING = "I learned that I avoid conflict with the council"
SECRET_CHALLENGE = "My manager undermines me in meetings"


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def people(cohort):
    people = make_people(8, organisations=4)
    add_members(cohort, people)
    return people


@pytest.fixture
def busy_set(cohort, lead, people):
    """A set with two past meetings (attendance 3 of 4, then 4 of 4), an upcoming one, a
    shared commitment with a check-in, and a challenge."""
    learning_set = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    first = make_meeting(learning_set, days_from_now=-14)
    second = make_meeting(learning_set, days_from_now=-1)
    make_meeting(learning_set, days_from_now=13)
    record_attendance(first, {people[0]: True, people[1]: True, people[2]: True, people[3]: False})
    record_attendance(second, dict.fromkeys(people[:4], True))
    commitment = share_commitment(learning_set, people[0], SECRET_COMMITMENT)
    check_in(commitment, meeting=second, learned=SECRET_LEARNING)
    SetMember.objects.filter(learner=people[1]).update(challenge=SECRET_CHALLENGE)
    return learning_set


def url(name, cohort, *args):
    return reverse(f"learning_sets_admin:{name}", args=[cohort.pk, *args])


def test_the_overview_shows_who_attendance_and_counts_but_never_the_text(
    lead_client, cohort, busy_set, people
):
    response = lead_client.get(url("overview", cohort))

    assert response.status_code == 200
    text = response.content.decode()
    for person in people[:4]:
        assert person.get_full_name() in text
        assert str(person.organisation) in text
    assert "88%" in text  # 7 of 8 recorded places
    section = text.split('data-set="Set 1"')[1]
    assert "<dd data-meetings-held>2 (last on" in section
    assert "<dd data-commitments>1</dd>" in section
    assert "<dd data-check-ins>1</dd>" in section
    assert "None scheduled" not in section
    for secret in (SECRET_COMMITMENT, SECRET_LEARNING, SECRET_CHALLENGE):
        assert secret not in text
    # The four others and the cohort's three first members are not in a set.
    assert text.count("data-unplaced-member") == 7


def test_the_overview_is_reachable_from_the_cohorts_pages(lead_client, cohort):
    dashboard = lead_client.get(reverse("cohorts_admin:dashboard", args=[cohort.pk]))

    assert url("overview", cohort) in dashboard.content.decode()


def test_the_overview_links_to_the_facilitator_guides_once_they_are_live(
    lead_client, cohort, home_page
):
    assert "Facilitator guides" not in lead_client.get(url("overview", cohort)).content.decode()

    index = make_index(home_page)

    page = lead_client.get(url("overview", cohort)).content.decode()
    assert f'href="{index.url}"' in page


def _overview_queries(client, cohort) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("overview", cohort)).status_code == 200
    return len(queries)


def test_the_overview_takes_the_same_queries_whatever_the_size(lead_client, cohort, lead):
    def grow(number):
        people = make_people(6, organisations=3, prefix=f"Batch{number}")
        learning_set = make_set(cohort, lead=lead, name=f"Set {number}", members=people)
        meeting = make_meeting(learning_set, days_from_now=-3)
        record_attendance(meeting, dict.fromkeys(people, True))
        for person in people:
            check_in(share_commitment(learning_set, person, "Something"), meeting=meeting)
        add_members(cohort, make_people(3, organisations=1, prefix=f"Loose{number}"))

    grow(1)
    small = _overview_queries(lead_client, cohort)
    for number in range(2, 7):
        grow(number)
    large = _overview_queries(lead_client, cohort)

    assert large == small, f"{small} queries for one set, {large} for six"


def test_the_suggestion_takes_the_same_queries_whatever_the_size(lead_client, cohort):
    def preview_queries():
        with CaptureQueriesContext(connection) as queries:
            response = lead_client.get(url("suggest", cohort))
        assert response.status_code == 200
        assert "data-refusal" not in response.content.decode()
        return len(queries)

    add_members(cohort, make_people(9, organisations=3, prefix="First"))
    small = preview_queries()
    add_members(cohort, make_people(60, organisations=7, prefix="Second"))
    large = preview_queries()

    assert large == small, f"{small} queries for 12 people, {large} for 72"


def test_a_suggestion_is_previewed_then_created(lead_client, cohort, people):
    preview = lead_client.get(url("suggest", cohort))

    assert preview.status_code == 200
    assert not LearningSet.objects.exists()
    text = preview.content.decode()
    assert text.count("data-planned-set") == 2  # 11 people in sets of 4 to 8
    fingerprint = preview.context["form"].initial["fingerprint"]

    created = lead_client.post(url("suggest", cohort), {"fingerprint": fingerprint})
    again = lead_client.post(url("suggest", cohort), {"fingerprint": fingerprint}, follow=True)

    assert created.status_code == 302
    assert created["Location"] == url("overview", cohort)
    assert LearningSet.objects.filter(cohort=cohort).count() == 2
    assert SetMember.objects.filter(cohort=cohort).count() == 11
    assert "have changed since the suggestion was made" in again.content.decode()


@pytest.mark.parametrize("fingerprint", ["", "x" * 64, "\x00" * 64, "a" * 100_000])
def test_a_bad_fingerprint_creates_nothing(lead_client, cohort, people, fingerprint):
    response = lead_client.post(url("suggest", cohort), {"fingerprint": fingerprint})

    # A NUL byte is refused by the middleware (400) before the view.
    assert response.status_code == (400 if "\x00" in fingerprint else 302)
    assert not LearningSet.objects.exists()


def test_too_few_people_get_a_reason_not_a_suggestion(lead_client, cohort):
    response = lead_client.get(url("suggest", cohort))

    assert "There are only 3 people to place" in response.content.decode()
    assert "Create these sets</button>" not in response.content.decode()


def test_a_set_is_added_by_hand_and_errors_use_the_summary(lead_client, cohort):
    empty = lead_client.post(url("add", cohort), {"name": "  "})

    assert empty.status_code == 200
    text = empty.content.decode()
    assert "There is a problem" in text
    assert '<a href="#id_name">Give the set a name.</a>' in text
    assert not LearningSet.objects.exists()

    added = lead_client.post(url("add", cohort), {"name": "Tuesday set"})
    assert added.status_code == 302
    assert LearningSet.objects.get().name == "Tuesday set"


def test_someone_is_moved_and_taken_out(lead_client, cohort, lead, people):
    first = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    second = make_set(cohort, lead=lead, name="Set 2", members=people[4:])
    share_commitment(first, people[0], SECRET_COMMITMENT)

    moved = lead_client.post(
        url("move", cohort), {"person": people[0].pk, "destination": second.pk}
    )
    assert moved.status_code == 302
    assert SetMember.objects.get(learner=people[0]).learning_set == second
    assert not SharedCommitment.objects.exists()

    out = lead_client.post(url("move", cohort), {"person": people[0].pk, "destination": "none"})
    assert out.status_code == 302
    assert not SetMember.objects.filter(learner=people[0]).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"person": "", "destination": "none"}, "person"),
        ({"person": "9" * 20, "destination": "none"}, "person"),
        ({"person": "-1", "destination": "none"}, "person"),
        ({"person": "PERSON", "destination": "9" * 20}, "destination"),
        ({"person": "PERSON", "destination": ""}, "destination"),
    ],
)
def test_a_bad_move_changes_nothing(lead_client, cohort, lead, people, data, field):
    first = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    if data["person"] == "PERSON":
        data = {**data, "person": people[0].pk}

    response = lead_client.post(url("move", cohort), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert SetMember.objects.filter(learning_set=first).count() == 4


def test_nobody_from_another_cohort_can_be_moved_in(
    lead_client, cohort, lead, other_cohort, people
):
    learning_set = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    outsider = other_cohort.members.get()

    response = lead_client.post(
        url("move", cohort), {"person": outsider.pk, "destination": learning_set.pk}
    )

    assert response.status_code == 200
    assert not SetMember.objects.filter(learner=outsider).exists()


def test_the_facilitator_is_chosen_from_leads_and_members(lead_client, cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    page = lead_client.get(url("facilitator", cohort, learning_set.pk))
    choices = {
        choice.value
        for choice, _label in page.context["form"].fields["facilitator"].choices
        if choice
    }
    assert choices == {lead.pk, *(person.pk for person in people[:4])}

    refused = lead_client.post(
        url("facilitator", cohort, learning_set.pk), {"facilitator": people[5].pk}
    )
    chosen = lead_client.post(
        url("facilitator", cohort, learning_set.pk), {"facilitator": people[1].pk}
    )

    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert chosen.status_code == 302
    learning_set.refresh_from_db()
    assert learning_set.facilitator == people[1]


def test_a_set_is_renamed_and_deleted(lead_client, cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    make_set(cohort, lead=lead, name="Set 2")

    taken = lead_client.post(url("rename", cohort, learning_set.pk), {"name": "Set 2"})
    assert "already has a set called Set 2" in taken.content.decode()
    renamed = lead_client.post(url("rename", cohort, learning_set.pk), {"name": "Learning set A"})
    assert renamed.status_code == 302

    confirm = lead_client.get(url("delete", cohort, learning_set.pk))
    assert "Are you sure you want to delete the set Learning set A?" in confirm.content.decode()
    assert LearningSet.objects.filter(pk=learning_set.pk).exists()
    deleted = lead_client.post(url("delete", cohort, learning_set.pk))
    assert deleted.status_code == 302
    assert not LearningSet.objects.filter(pk=learning_set.pk).exists()
    assert lead_client.post(url("delete", cohort, learning_set.pk)).status_code == 404


def test_every_page_renders(lead_client, cohort, busy_set):
    for name, args in [
        ("overview", ()),
        ("suggest", ()),
        ("add", ()),
        ("move", ()),
        ("rename", (busy_set.pk,)),
        ("facilitator", (busy_set.pk,)),
        ("delete", (busy_set.pk,)),
    ]:
        response = lead_client.get(url(name, cohort, *args))
        assert response.status_code == 200, name


# The cohort form's set sizes ------------------------------------------------------------


def cohort_data(**overrides):
    data = {
        "name": "Northfield leaders 2026",
        "capacity": "",
        "join_link_expires": "",
        "set_size_min": "4",
        "set_size_max": "8",
    }
    data.update(overrides)
    return data


def test_set_sizes_left_empty_stay_as_they_are(lead_client, cohort):
    from cohorts.models import Cohort

    lead_client.post(reverse("cohort:add"), cohort_data(set_size_min="", set_size_max=""))
    new = Cohort.objects.get(name="Northfield leaders 2026")
    assert (new.set_size_min, new.set_size_max) == (4, 8)


def test_the_cohort_form_saves_set_sizes(lead_client, cohort):
    from cohorts.models import Cohort

    created = lead_client.post(
        reverse("cohort:add"), cohort_data(set_size_min="3", set_size_max="6")
    )
    assert created.status_code == 302
    new = Cohort.objects.get(name="Northfield leaders 2026")
    assert (new.set_size_min, new.set_size_max) == (3, 6)

    edited = lead_client.post(
        reverse("cohort:edit", args=[cohort.pk]),
        cohort_data(name=cohort.name, set_size_min="5", set_size_max="5"),
    )
    assert edited.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.set_size_min, cohort.set_size_max) == (5, 5)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"set_size_min": "6", "set_size_max": "4"}, "set_size_max", "must be at least the fewest"),
        ({"set_size_min": "1"}, "set_size_min", "between 2 and 12"),
        ({"set_size_max": "13"}, "set_size_max", "between 2 and 12"),
        ({"set_size_max": "9" * 20}, "set_size_max", "between 2 and 12"),
        ({"set_size_min": "-1"}, "set_size_min", "between 2 and 12"),
        ({"set_size_min": "four"}, "set_size_min", "whole number"),
        ({"set_size_min": "9", "set_size_max": ""}, "set_size_max", "at least the fewest (9)"),
    ],
)
def test_the_cohort_form_refuses_impossible_set_sizes(
    lead_client, cohort, overrides, field, message
):
    response = lead_client.post(
        reverse("cohort:edit", args=[cohort.pk]), cohort_data(name=cohort.name, **overrides)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    cohort.refresh_from_db()
    assert (cohort.set_size_min, cohort.set_size_max) == (4, 8)
