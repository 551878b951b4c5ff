"""Demo action-learning sets for `manage.py seed_demo`, in the demo lead's first cohort.

Two sets made from the suggestion (so each mixes at least three organisations), one
facilitated by the lead and one by a member given the role; two past meetings with
attendance, shared commitments with check-ins, and one meeting to come. learner1 is in a
set (and has not yet accepted its ground rules, so the demo shows that step); learner9
is not in the cohort, so in no set. Running it twice changes nothing.
"""

import datetime

from django.utils import timezone

from accounts.models import User
from cohorts.models import Cohort

from . import guide_demo, overview, services
from .models import Attendance, CheckIn, Meeting, SetMember, SharedCommitment

ORDER = 60  # after cohorts (50)

COHORT_NAME = "Northfield system leadership 2026"  # cohorts.demo's first cohort
SET_NAMES = ["Tuesday set", "Thursday set"]
PLACES = [
    "Meeting room 3, Northfield Civic Centre",
    "The Garden Room, Riverside Community Hub",
]

# Each member's challenge, commitment and check-in (status, what they did, what they
# learned, what they will try next), by learner number. Written for the demo; nobody real.
STORIES = {
    2: (
        "Discharges stall at the weekend because nobody owns the handover to social care.",
        "Ask the weekend social care team to join one Friday board round.",
        (
            "done",
            "They came, and two discharges went ahead on Saturday.",
            "The blocker was not capacity but nobody knowing who to ring.",
            "Write down the names and numbers and share them with both teams.",
        ),
    ),
    3: (
        "Tenants with hoarding are passed between four services and none of them leads.",
        "Bring the four services together for one hour around a single tenant's story.",
        (
            "partly",
            "Three of the four came; the fourth sent apologies.",
            "Starting from one person's story made it easier to agree a first step.",
            "Meet the fourth service on their own ground before the next meeting.",
        ),
    ),
    4: (
        "Practice staff feel the new neighbourhood team was done to them, not with them.",
        "Hold a listening session for reception staff before any more changes.",
        (
            "not_yet",
            "The session was booked but cancelled during a flu outbreak.",
            "I had put it in the week with least slack, which was a choice.",
            "Rebook it for a quieter week and ask a receptionist to co-host.",
        ),
    ),
    5: (
        "Volunteers drift away after three months and we do not know why.",
        "Phone five volunteers who left this year and ask what would have kept them.",
        (
            "done",
            "Four answered; all said they never met the staff they were helping.",
            "Belonging mattered more to them than training.",
            "Pair each new volunteer with a named member of staff for their first month.",
        ),
    ),
    6: (
        "Community matrons and district nurses duplicate visits to the same people.",
        "Shadow a district nurse for a morning and compare our visit lists.",
        (
            "partly",
            "We compared lists for one street and found six shared patients.",
            "We each assumed the other had the fuller picture.",
            "Propose a shared weekly huddle for those six patients as a trial.",
        ),
    ),
}


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _meetings(learning_set, facilitator, members, log) -> None:
    past = [
        Meeting.objects.create(
            learning_set=learning_set,
            starts_at=_at(days, 10),
            duration_minutes=150,
            place=PLACES[index % len(PLACES)],
            created_by=facilitator,
        )
        for index, days in enumerate((-28, -14))
    ]
    Meeting.objects.create(
        learning_set=learning_set,
        starts_at=_at(14, 10),
        duration_minutes=150,
        place=PLACES[0],
        created_by=facilitator,
    )
    for index, meeting in enumerate(past):
        Attendance.objects.bulk_create(
            [
                Attendance(
                    meeting=meeting,
                    learner=member,
                    # One absence at the first meeting, so the rate is not a flat 100%.
                    present=not (index == 0 and position == len(members) - 1),
                    recorded_at=meeting.starts_at + datetime.timedelta(hours=3),
                )
                for position, member in enumerate(members)
            ]
        )
    for member in members:
        number = int(member.email.removeprefix("learner").split("@")[0])
        if number not in STORIES:
            continue
        challenge, text, (status, acted, reflected, next_plan) = STORIES[number]
        SetMember.objects.filter(learning_set=learning_set, learner=member).update(
            ground_rules_accepted_at=past[0].starts_at,
            challenge=challenge,
            challenge_updated_at=past[0].starts_at,
        )
        commitment = SharedCommitment.objects.create(
            learning_set=learning_set,
            learner=member,
            text=text,
            due_on=past[1].starts_at.date(),
        )
        CheckIn.objects.create(
            commitment=commitment,
            meeting=past[1],
            status=status,
            acted=acted,
            reflected=reflected,
            next_plan=next_plan,
        )
    log(f"learning set: {learning_set.name}")


def seed(*, password: str, log) -> list[tuple[str, str]]:
    guide_demo.seed_guides(log)
    _seed_sets(log)
    return []


def _seed_sets(log) -> None:
    cohort = Cohort.objects.filter(name=COHORT_NAME).first()
    lead = User.objects.filter(email="lead@example.org").first()
    if cohort is None or lead is None or cohort.learning_sets.exists():
        return
    suggestion = overview.set_suggestion(user=lead, cohort=cohort)
    if suggestion.refusal:
        log(f"learning sets: none ({suggestion.refusal})")
        return
    created = services.sets_create_from_suggestion(
        cohort=cohort, user=lead, fingerprint=suggestion.fingerprint
    )
    for learning_set, name in zip(created, SET_NAMES, strict=False):
        services.set_rename(learning_set=learning_set, user=lead, name=name)
        members = [
            member.learner
            for member in SetMember.objects.filter(learning_set=learning_set)
            .select_related("learner")
            .order_by("learner__email")
        ]
        # The first set is facilitated by the lead; the second by one of its members.
        facilitator = lead if name == SET_NAMES[0] else members[-1]
        services.set_facilitator_choose(
            learning_set=learning_set, user=lead, facilitator=facilitator
        )
        _meetings(learning_set, facilitator, members, log)
