"""What is coming up for a learner, for the panel on My learning: their action commitments
due soon or lately overdue, their set meetings soon, and the teams waiting for their answer.

Three queries, whatever the number of commitments, meetings or teams. Nothing here writes.

"Waiting for their answer" is the team report's own rule (`assessments.team_reports`): a
team's report opens once `settings.MIN_GROUP_SIZE` responses count for it, counting each
current member's latest submitted response and the ones former members left when they
erased their accounts. A team waits for this learner while fewer than that count and they
have submitted nothing for it.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from assessments.models import Response, Team
from core.calendars import LONDON
from learning_sets.models import Meeting
from modules.models import JournalEntry

from .calendars import commitments_with_dates, set_meetings_of

# How far ahead the panel looks, and how long an overdue commitment stays in it (there is no
# "done" mark on a commitment: after a month its date has passed into the journal).
HORIZON_DAYS = 14
OVERDUE_DAYS = 30
# The most of each kind the panel lists; the journal, the sets and the teams pages hold all.
MOST = 10


@dataclass
class DueCommitment:
    entry: JournalEntry
    days: int  # days until due: 0 today, negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0


@dataclass
class ComingUp:
    commitments: list[DueCommitment] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.commitments or self.meetings or self.teams)


def teams_waiting_for(person: User) -> list[Team]:
    """Teams the person belongs to whose report has not opened and for which they have
    submitted nothing (one query)."""
    submitted = Response.objects.submitted()
    current_members = (
        submitted.filter(team=OuterRef("pk"), learner__team_memberships__team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("learner", distinct=True))
        .values("n")
    )
    former_members = (
        submitted.filter(team=OuterRef("pk"), anonymised_at__isnull=False, learner__isnull=True)
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    answered = submitted.filter(learner=person, team__isnull=False).values("team_id")
    return list(
        Team.objects.filter(memberships__learner=person)
        .exclude(pk__in=answered)
        .annotate(
            counted=Coalesce(Subquery(current_members, output_field=IntegerField()), Value(0))
            + Coalesce(Subquery(former_members, output_field=IntegerField()), Value(0))
        )
        .filter(counted__lt=settings.MIN_GROUP_SIZE)
        .only("pk", "name")
        .order_by("name", "pk")[:MOST]
    )


def coming_up(person: User, *, now: datetime.datetime | None = None) -> ComingUp:
    """The panel's contents (three queries; none for someone not signed in)."""
    if not person.is_authenticated:
        return ComingUp()
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    entries = (
        commitments_with_dates(person)
        .filter(
            due_on__gte=today - datetime.timedelta(days=OVERDUE_DAYS),
            due_on__lte=today + datetime.timedelta(days=HORIZON_DAYS),
        )
        .order_by("due_on", "pk")[:MOST]
    )
    meetings = set_meetings_of(person).filter(
        Q(starts_at__gte=now) & Q(starts_at__lte=now + datetime.timedelta(days=HORIZON_DAYS))
    )[:MOST]
    return ComingUp(
        commitments=[
            DueCommitment(entry, (entry.due_on - today).days)
            for entry in entries
            if entry.due_on is not None
        ],
        meetings=list(meetings),
        teams=teams_waiting_for(person),
    )
