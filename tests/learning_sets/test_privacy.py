"""A member's set data in their download, and what erasing their account does to it."""

import pytest

from accounts.privacy import registry
from accounts.services import account_erase
from learning_sets import services
from learning_sets.models import (
    Attendance,
    CheckIn,
    LearningSet,
    Meeting,
    SetMember,
    SharedCommitment,
)
from tests.cohorts.factories import add_members

from .factories import (
    check_in,
    make_meeting,
    make_people,
    make_set,
    record_attendance,
    share_commitment,
)


@pytest.fixture
def world(cohort, lead):
    people = make_people(4, organisations=2)
    add_members(cohort, people)
    learning_set = make_set(cohort, lead=lead, name="Set 1", members=people)
    member = people[0]
    services.set_facilitator_choose(learning_set=learning_set, user=lead, facilitator=member)
    SetMember.objects.filter(learner=member).update(challenge="Getting the council to the table")
    meeting = make_meeting(learning_set, days_from_now=-7, created_by=member)
    record_attendance(meeting, dict.fromkeys(people, True))
    commitment = share_commitment(learning_set, member, "Invite the housing lead to our huddle")
    check_in(commitment, meeting=meeting, learned="Asking early works")
    share_commitment(learning_set, people[1], "Someone else's commitment")
    return {"set": learning_set, "member": member, "meeting": meeting, "people": people}


def test_the_export_holds_the_members_set_data_and_nobody_elses(world):
    data = registry.export(world["member"])["learning_sets"]

    assert data["sets"][0]["set"] == "Set 1"
    assert data["sets"][0]["challenge"] == "Getting the council to the table"
    assert [c["text"] for c in data["shared_commitments"]] == [
        "Invite the housing lead to our huddle"
    ]
    assert data["shared_commitments"][0]["check_ins"][0]["what_you_learned"] == (
        "Asking early works"
    )
    assert data["attendance"] == [
        {
            "set": "Set 1",
            "meeting": world["meeting"].starts_at.isoformat(),
            "present": True,
            "recorded": data["attendance"][0]["recorded"],
        }
    ]
    assert data["sets_you_facilitate"] == [{"set": "Set 1", "cohort": "Leading across Northfield"}]
    assert data["meetings_you_scheduled"][0]["set"] == "Set 1"
    assert "Someone else's commitment" not in str(data)


def test_erasure_removes_the_member_and_their_text_but_keeps_the_set_and_meeting(world):
    member = world["member"]

    account_erase(user=member, reason="Asked to be forgotten")

    assert not SetMember.objects.filter(learner_id=member.pk).exists()
    assert not SharedCommitment.objects.filter(learner_id=member.pk).exists()
    assert not CheckIn.objects.filter(reflected="Asking early works").exists()
    assert not Attendance.objects.filter(learner_id=member.pk).exists()
    learning_set = LearningSet.objects.get(pk=world["set"].pk)
    assert learning_set.facilitator is None
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    assert meeting.created_by is None
    assert SetMember.objects.filter(learning_set=learning_set).count() == 3
    assert SharedCommitment.objects.filter(text="Someone else's commitment").exists()
