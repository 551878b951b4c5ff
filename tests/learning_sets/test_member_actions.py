"""What a member can do in their set, through the pages as a browser posts them: state a
challenge, share commitments (new, or from lessons item by item), withdraw one, check in
after a meeting, and leave taking what they shared along. Bad input gets the error summary
and changes nothing; repeats are idempotent."""

import pytest
from django.urls import reverse

from learning_sets import member_services
from learning_sets.models import Attendance, CheckIn, LearningSet, SetMember, SharedCommitment
from modules.models import JournalEntry

from .conftest_member import build_world, journal_commitment, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def set_world(db):
    return build_world()


def url(world, name, *args):
    return reverse(f"learning_sets:{name}", args=[world.learning_set.pk, *args])


@pytest.fixture
def amira(client, set_world):
    person = set_world.people["set member"]
    client.force_login(person)
    return person


def test_a_member_states_and_changes_their_challenge(client, set_world, amira):
    response = client.post(url(set_world, "challenge"), {"challenge": "  Waiting lists.  "})
    assert response.status_code == 302
    membership = SetMember.objects.get(learner=amira)
    assert membership.challenge == "Waiting lists."
    assert membership.challenge_updated_at is not None

    client.post(url(set_world, "challenge"), {"challenge": "Waiting lists for carers."})
    membership.refresh_from_db()
    assert membership.challenge == "Waiting lists for carers."


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the challenge you are bringing."),
        ("   \n ", "Enter the challenge you are bringing."),
        ("x" * 2001, "must be 2000 characters or fewer"),
    ],
)
def test_a_bad_challenge_gets_the_error_summary_and_changes_nothing(
    client, set_world, amira, value, message
):
    response = client.post(url(set_world, "challenge"), {"challenge": value})
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page and message in page
    assert SetMember.objects.get(learner=amira).challenge == ""


def test_a_nul_byte_is_refused_by_the_site_and_changes_nothing(client, set_world, amira):
    response = client.post(url(set_world, "challenge"), {"challenge": "a\x00b"})
    assert response.status_code == 400
    assert SetMember.objects.get(learner=amira).challenge == ""


def test_a_member_shares_a_new_commitment_once_however_often_they_click(client, set_world, amira):
    data = {
        "text": "Shadow a housing officer.",
        "due_day": "3",
        "due_month": "2",
        "due_year": "2027",
    }
    for _click in range(2):
        response = client.post(url(set_world, "commitment_create"), data)
        assert response.status_code == 302
    [commitment] = SharedCommitment.objects.filter(learner=amira)
    assert commitment.text == "Shadow a housing officer."
    assert str(commitment.due_on) == "2027-02-03"
    assert commitment.journal_entry is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Enter what you will do."),
        ({"text": "x" * 1001}, "1000 characters or fewer"),
        ({"text": "Do it", "due_day": "31", "due_month": "2", "due_year": "2027"}, "real date"),
        ({"text": "Do it", "due_day": "1", "due_month": "1", "due_year": "9999"}, "between"),
        ({"text": "Do it", "due_day": "1", "due_year": "2027"}, "day, month and year"),
    ],
)
def test_a_bad_commitment_is_refused(client, set_world, amira, data, message):
    response = client.post(url(set_world, "commitment_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SharedCommitment.objects.filter(learner=amira).exists()


def test_a_member_shares_lesson_commitments_item_by_item(client, set_world, amira):
    first = journal_commitment(amira, "Map who is involved in discharge.", "b-1")
    second = journal_commitment(amira, "Ask the carers' forum.", "b-2")
    reflection = JournalEntry.objects.create(
        learner=amira,
        block_id="b-3",
        kind=JournalEntry.Kind.REFLECTION,
        prompt="?",
        text="Private reflection",
        lesson_title="L",
        module_title="M",
    )

    page = client.get(url(set_world, "commitments_from_lessons")).content.decode()
    assert "Map who is involved" in page and "Ask the carers" in page
    assert "Private reflection" not in page

    for _click in range(2):
        response = client.post(url(set_world, "commitments_from_lessons"), {"entries": [first.pk]})
        assert response.status_code == 302
    [shared] = SharedCommitment.objects.filter(learner=amira)
    assert shared.journal_entry == first
    assert shared.text == "Map who is involved in discharge."

    # The journal stays private: a later edit there does not reach the set.
    first.text = "Private second thoughts"
    first.save()
    shared.refresh_from_db()
    assert shared.text == "Map who is involved in discharge."

    page = client.get(url(set_world, "commitments_from_lessons")).content.decode()
    assert "Already shared with this set" in page
    assert f'value="{second.pk}"' in page and f'value="{first.pk}"' not in page
    assert (
        client.post(
            url(set_world, "commitments_from_lessons"), {"entries": [reflection.pk]}
        ).status_code
        == 200
    )
    assert SharedCommitment.objects.filter(learner=amira).count() == 1


def test_someone_elses_lesson_commitment_is_refused_without_revealing_it(client, set_world, amira):
    theirs = journal_commitment(set_world.people["fellow member"], "Ben's own words", "b-9")
    response = client.post(url(set_world, "commitments_from_lessons"), {"entries": [theirs.pk]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose from the commitments listed." in page
    assert "Ben&#x27;s own words" not in page and "Ben's own words" not in page
    assert not SharedCommitment.objects.filter(journal_entry=theirs).exists()

    for value in ["", "-1", "9" * 20, "abc"]:
        response = client.post(url(set_world, "commitments_from_lessons"), {"entries": value})
        assert response.status_code == 200


def test_the_share_service_refuses_entries_that_are_not_the_members(set_world):
    membership = SetMember.objects.get(learner=set_world.people["set member"])
    theirs = journal_commitment(set_world.people["fellow member"], "Not yours", "b-9")
    with pytest.raises(member_services.SetError):
        member_services.commitments_share_from_lessons(membership=membership, entries=[theirs])


def test_a_member_withdraws_their_own_commitment_only(client, set_world, amira):
    own = SharedCommitment.objects.create(
        learning_set=set_world.learning_set, learner=amira, text="Mine"
    )
    theirs = set_world.commitment
    assert client.get(url(set_world, "commitment_withdraw", own.pk)).status_code == 200
    assert client.get(url(set_world, "commitment_withdraw", theirs.pk)).status_code == 404
    assert client.post(url(set_world, "commitment_withdraw", theirs.pk)).status_code == 404
    assert client.post(url(set_world, "commitment_withdraw", own.pk)).status_code == 302
    assert not SharedCommitment.objects.filter(pk=own.pk).exists()
    assert SharedCommitment.objects.filter(pk=theirs.pk).exists()


def test_a_member_checks_in_once_per_commitment_and_meeting(client, set_world):
    ben = set_world.people["fellow member"]
    client.force_login(ben)
    later = meeting(set_world.learning_set, days=-1)
    check_in_url = url(set_world, "check_in", set_world.commitment.pk, later.pk)
    data = {
        "status": "done",
        "acted": "Spoke to the third person.",
        "observed": "She had a fix.",
        "reflected": "Ask earlier.",
        "next_plan": "Try her fix.",
    }
    assert client.post(check_in_url, data).status_code == 302
    assert client.post(check_in_url, {**data, "status": "partly"}).status_code == 302
    [check_in] = CheckIn.objects.filter(commitment=set_world.commitment, meeting=later)
    assert check_in.status == "partly"
    assert check_in.acted == "Spoke to the third person."
    assert CheckIn.objects.filter(commitment=set_world.commitment).count() == 2

    # The edit form shows the answers saved.
    assert "Try her fix." in client.get(check_in_url).content.decode()


def test_a_check_in_needs_a_status_and_bounded_answers(client, set_world):
    client.force_login(set_world.people["fellow member"])
    check_in_url = url(set_world, "check_in", set_world.commitment.pk, set_world.past.pk)
    for data, message in [
        ({"acted": "x"}, "Select how it went."),
        ({"status": "maybe"}, "Select how it went."),
        ({"status": "done", "reflected": "x" * 2001}, "2000 characters or fewer"),
    ]:
        response = client.post(check_in_url, data)
        assert response.status_code == 200
        assert message in response.content.decode()
    set_world.check_in.refresh_from_db()
    assert set_world.check_in.status == "partly"


def test_no_check_in_on_someone_elses_commitment_or_a_future_meeting(client, set_world, amira):
    assert (
        client.get(
            url(set_world, "check_in", set_world.commitment.pk, set_world.past.pk)
        ).status_code
        == 404
    )
    own = SharedCommitment.objects.create(
        learning_set=set_world.learning_set, learner=amira, text="Mine"
    )
    assert client.get(url(set_world, "check_in", own.pk, set_world.upcoming.pk)).status_code == 404
    assert (
        client.post(
            url(set_world, "check_in", own.pk, set_world.far_meeting.pk), {"status": "done"}
        ).status_code
        == 404
    )
    assert not CheckIn.objects.filter(commitment=own).exists()


def test_leaving_takes_the_members_shared_items_and_role_along(client, set_world):
    chloe = set_world.people["facilitator"]
    client.force_login(chloe)
    mine = SharedCommitment.objects.create(
        learning_set=set_world.learning_set, learner=chloe, text="Chloe's plan"
    )
    CheckIn.objects.create(commitment=mine, meeting=set_world.past, status="done")
    Attendance.objects.create(
        meeting=set_world.past, learner=chloe, present=True, recorded_at=set_world.past.starts_at
    )

    assert client.get(url(set_world, "leave")).status_code == 200
    response = client.post(url(set_world, "leave"))

    assert response.status_code == 302
    assert not SetMember.objects.filter(learner=chloe).exists()
    assert not SharedCommitment.objects.filter(learner=chloe).exists()
    assert not CheckIn.objects.filter(commitment__learner=chloe).exists()
    assert LearningSet.objects.get(pk=set_world.learning_set.pk).facilitator is None
    # Others' items and the set's attendance record stay.
    assert SharedCommitment.objects.filter(pk=set_world.commitment.pk).exists()
    assert Attendance.objects.filter(learner=chloe).exists()
    assert client.get(url(set_world, "leave")).status_code == 404
    assert (
        client.get(reverse("learning_sets:set", args=[set_world.learning_set.pk])).status_code
        == 404
    )


def test_get_requests_change_nothing(client, set_world, amira):
    for name, args in [
        ("leave", ()),
        ("ground_rules", ()),
        ("commitment_withdraw", (set_world.commitment.pk,)),
    ]:
        client.get(url(set_world, name, *args))
    assert SetMember.objects.filter(learner=amira).exists()
    assert SharedCommitment.objects.filter(pk=set_world.commitment.pk).exists()
