"""Build sets, members, meetings and shared items for tests.

Sets and places are made through the services leads use; meetings, attendance and shared
items are written directly (as the member pages would leave them), so that tests at
several sizes stay quick.
"""

import datetime

from django.utils import timezone

from cohorts.models import Cohort
from learning_sets import services
from learning_sets.models import Attendance, CheckIn, LearningSet, Meeting, SharedCommitment
from tests.cohorts.factories import add_members
from tests.factories import OrganisationFactory, UserFactory


def make_people(count: int, *, organisations: int = 3, prefix: str = "Member", roles=None):
    """`count` learners spread over `organisations` new organisations, named in order."""
    roles = roles or ["Ward manager", "Social worker", "Housing officer", "GP"]
    orgs = [
        OrganisationFactory(name=f"{prefix} organisation {number}")
        for number in range(organisations)
    ]
    return [
        UserFactory(
            organisation=orgs[index % organisations],
            first_name=prefix,
            last_name=f"{index:04d}",
            job_role=roles[index % len(roles)],
        )
        for index in range(count)
    ]


def make_set(cohort: Cohort, *, lead, name: str = "Set 1", members=()) -> LearningSet:
    """A set in `cohort` with `members` (who join the cohort first if they have not)."""
    learning_set, _created = services.set_create(cohort=cohort, user=lead, name=name)
    add_members(cohort, members)
    for learner in members:
        services.set_member_place(learning_set=learning_set, learner=learner, user=lead)
    return learning_set


def make_meeting(learning_set: LearningSet, *, days_from_now: float, created_by=None) -> Meeting:
    return Meeting.objects.create(
        learning_set=learning_set,
        starts_at=timezone.now() + datetime.timedelta(days=days_from_now),
        duration_minutes=120,
        place="Room 2, Northfield Civic Centre",
        created_by=created_by,
    )


def record_attendance(meeting: Meeting, present: dict) -> None:
    """`present`: learner -> True or False."""
    for learner, came in present.items():
        Attendance.objects.create(
            meeting=meeting, learner=learner, present=came, recorded_at=timezone.now()
        )


def share_commitment(learning_set: LearningSet, learner, text: str) -> SharedCommitment:
    return SharedCommitment.objects.create(learning_set=learning_set, learner=learner, text=text)


def check_in(commitment: SharedCommitment, *, meeting=None, learned: str = "") -> CheckIn:
    return CheckIn.objects.create(
        commitment=commitment,
        meeting=meeting,
        status=CheckIn.Status.PARTLY,
        acted="Asked the housing team to join the ward round.",
        observed="They came twice.",
        reflected=learned,
        next_plan="Ask again next month.",
    )
