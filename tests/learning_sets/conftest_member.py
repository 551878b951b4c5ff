"""Sets, members, meetings and commitments for the member-side tests, built directly with
the ORM (the lead's placing services are another part's). Test files import what they use.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from learning_sets.models import CheckIn, LearningSet, Meeting, SetMember, SharedCommitment
from modules.models import JournalEntry
from tests.cohorts.factories import add_members, make_cohort, make_lead, make_site_admin, with_role
from tests.factories import OrganisationFactory, UserFactory


def add_to_set(learning_set: LearningSet, learner, *, accepted: bool = True) -> SetMember:
    now = timezone.now()
    add_members(learning_set.cohort, [learner])
    return SetMember.objects.create(
        learning_set=learning_set,
        cohort=learning_set.cohort,
        learner=learner,
        joined_at=now - datetime.timedelta(days=20),
        ground_rules_accepted_at=now - datetime.timedelta(days=19) if accepted else None,
    )


def meeting(learning_set: LearningSet, *, days: float, **fields) -> Meeting:
    fields.setdefault("place", "Room 2, Riverside Health Centre")
    return Meeting.objects.create(
        learning_set=learning_set,
        # On the minute, as the meeting form enters them.
        starts_at=(timezone.now() + datetime.timedelta(days=days)).replace(second=0, microsecond=0),
        duration_minutes=fields.pop("duration_minutes", 120),
        **fields,
    )


def journal_commitment(learner, text: str, block_id: str = "b-action-1") -> JournalEntry:
    return JournalEntry.objects.create(
        learner=learner,
        block_id=block_id,
        lesson_title="Leading beyond your organisation",
        module_title="Seeing the system",
        kind=JournalEntry.Kind.ACTION,
        prompt="What will you do this week?",
        text=text,
    )


@dataclass
class SetWorld:
    cohort: object
    learning_set: LearningSet
    other_set: LearningSet
    far_set: LearningSet
    people: dict
    past: Meeting
    upcoming: Meeting
    far_meeting: Meeting
    commitment: SharedCommitment
    check_in: CheckIn
    others_commitment: SharedCommitment


ROLES = [
    "anonymous",
    "learner not in the cohort",
    "cohort member not in the set",
    "set member",
    "member of another set",
    "facilitator",
    "lead of the cohort",
    "lead of another cohort",
    "course editor",
    "site admin",
]


def build_world() -> SetWorld:
    lead = make_lead(first_name="Tom", last_name="Gallagher")
    cohort = make_cohort(lead=lead, name="Leading across Northfield")
    other_lead = make_lead(first_name="Rhian", last_name="Evans")
    far_cohort = make_cohort(lead=other_lead, name="Harbour compassionate leaders")
    trust = OrganisationFactory(name="Riverside NHS Trust")
    council = OrganisationFactory(name="Northfield City Council", type="local_authority")
    charity = OrganisationFactory(name="Northfield Carers Network", type="charity")
    amira = UserFactory(
        organisation=trust, first_name="Amira", last_name="Khan", job_role="Ward manager"
    )
    ben = UserFactory(
        organisation=council, first_name="Ben", last_name="Okafor", job_role="Social worker"
    )
    chloe = UserFactory(
        organisation=charity, first_name="Chloe", last_name="Price", job_role="Volunteer lead"
    )
    dev = UserFactory(first_name="Dev", last_name="Patel", job_role="Housing officer")
    learning_set = LearningSet.objects.create(cohort=cohort, name="Riverside set")
    for person in (amira, ben, chloe):
        add_to_set(learning_set, person)
    learning_set.facilitator = chloe
    learning_set.save(update_fields=["facilitator"])
    other_set = LearningSet.objects.create(cohort=cohort, name="Harbour set")
    add_to_set(other_set, dev)
    far_set = LearningSet.objects.create(cohort=far_cohort, name="Far set")
    add_to_set(far_set, UserFactory(first_name="Zainab", last_name="Hidden"))
    outsider_in_cohort = UserFactory(first_name="Ezra", last_name="Outside")
    add_members(cohort, [outsider_in_cohort])
    past = meeting(learning_set, days=-2)
    upcoming = meeting(learning_set, days=7, video_url="https://meet.example.org/riverside")
    far_meeting = meeting(far_set, days=3)
    commitment = SharedCommitment.objects.create(
        learning_set=learning_set,
        learner=ben,
        text="Ask three people on the discharge pathway what slows them down.",
    )
    check_in = CheckIn.objects.create(
        commitment=commitment,
        meeting=past,
        status=CheckIn.Status.PARTLY,
        acted="Spoke to two of the three.",
        observed="Both named the same handover form.",
        reflected="Small frictions add up.",
        next_plan="Talk to the third person.",
    )
    others = SharedCommitment.objects.create(
        learning_set=far_set, learner=far_set.members.get().learner, text="Zainab's secret plan"
    )
    people = {
        "anonymous": None,
        "learner not in the cohort": UserFactory(first_name="Lena", last_name="Elsewhere"),
        "cohort member not in the set": outsider_in_cohort,
        "set member": amira,
        "fellow member": ben,
        "member of another set": dev,
        "facilitator": chloe,
        "lead of the cohort": lead,
        "lead of another cohort": other_lead,
        "course editor": with_role(UserFactory(), "Course editor"),
        "site admin": make_site_admin(),
    }
    return SetWorld(
        cohort=cohort,
        learning_set=learning_set,
        other_set=other_set,
        far_set=far_set,
        people=people,
        past=past,
        upcoming=upcoming,
        far_meeting=far_meeting,
        commitment=commitment,
        check_in=check_in,
        others_commitment=others,
    )
