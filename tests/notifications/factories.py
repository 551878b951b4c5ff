"""Build what the reminders are about: cohort members who have not started, modules gone
quiet, commitments due, teams waiting and meetings tomorrow."""

import datetime
import itertools

from django.utils import timezone

from assessments.models import Team, TeamMembership
from cohorts.models import Membership
from modules.models import Enrolment, JournalEntry
from notifications.models import Preferences
from notifications.selection import LONDON, london_start

_codes = itertools.count(1)


def london_today() -> datetime.date:
    return timezone.now().astimezone(LONDON).date()


def join(cohort, learner, *, days_ago: int) -> Membership:
    return Membership.objects.create(
        cohort=cohort,
        learner=learner,
        joined_at=london_start(london_today() - datetime.timedelta(days=days_ago))
        + datetime.timedelta(hours=12),
    )


def enrol(learner, module, *, last_visit_days_ago: int, completed: bool = False) -> Enrolment:
    visited = timezone.now() - datetime.timedelta(days=last_visit_days_ago)
    return Enrolment.objects.create(
        learner=learner,
        module=module,
        module_title=module.title,
        started_at=visited - datetime.timedelta(days=1),
        last_visited_at=visited,
        completed_at=visited if completed else None,
    )


def commitment(learner, *, due_on: datetime.date) -> JournalEntry:
    return JournalEntry.objects.create(
        learner=learner,
        block_id=f"block-{next(_codes)}",
        lesson_title="Listening to understand",
        module_title="Seeing the system",
        kind=JournalEntry.Kind.ACTION,
        prompt="What will you do differently, and by when?",
        text="Ask two colleagues what gets in their way.",
        due_on=due_on,
    )


def team_with(instrument, members, *, name="Ward 7 night team") -> Team:
    team = Team.objects.create(instrument=instrument, name=name, join_code=f"CODE{next(_codes)}")
    TeamMembership.objects.bulk_create([TeamMembership(team=team, learner=m) for m in members])
    return team


def prefer(person, **values) -> Preferences:
    preferences, _created = Preferences.objects.get_or_create(person=person)
    for name, value in values.items():
        setattr(preferences, name, value)
    preferences.save()
    return preferences
