"""Who is due which reminder on a given day: reads only, never writes.

`due_reminders(today)` walks the people who may be emailed in batches ordered by primary
key and asks, for each batch, one query per kind (and one for earlier reminders): a fixed
number of queries per batch, whatever the number of learners, cohorts, modules or meetings.
Before the batches it reads the cohorts' modules once per cohort (a handful, not per
person). `today` is a date in Europe/London; "tomorrow" and "N days ago" are London dates.

Each kind asks the recipients rule (`recipients.may_be_emailed`) and the person's
preference (`recipients.wants`) in SQL, so that nobody who may not be emailed, or switched
the kind off, is ever selected.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Response, TeamMembership
from assessments.team_reports import counted_answers
from cohorts.models import Cohort, Membership
from cohorts.selectors import cohort_modules
from learning_sets.models import Meeting, SetMember
from modules.models import Enrolment, JournalEntry

from . import recipients
from .models import Kind, Reminder, ReminderSettings

LONDON = ZoneInfo("Europe/London")
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Due:
    person_id: int
    kind: str
    object_key: str
    period: str
    weekly_summary: bool = False


def london_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in Europe/London, as an aware datetime."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=LONDON)


def london_today() -> datetime.date:
    return timezone.now().astimezone(LONDON).date()


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def gone_quiet_days() -> int:
    from wagtail.models import Site

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ReminderSettings._meta.get_field("gone_quiet_days").default
    return ReminderSettings.for_site(site).gone_quiet_days


@dataclass(frozen=True)
class RunContext:
    """What every batch shares, read once per run."""

    today: datetime.date
    module_ids_by_cohort: dict[int, frozenset[int]]
    not_started_days: frozenset[int]
    quiet_days: int

    @classmethod
    def read(cls, today: datetime.date) -> RunContext:
        cohorts = Cohort.objects.prefetch_related("programmes", "modules")
        return cls(
            today=today,
            module_ids_by_cohort={
                cohort.pk: frozenset(cohort_modules(cohort).values_list("pk", flat=True))
                for cohort in cohorts
            },
            not_started_days=frozenset(
                Cohort.objects.order_by()
                .values_list("reminder_not_started_days", flat=True)
                .distinct()
            ),
            quiet_days=gone_quiet_days(),
        )

    def days_ago(self, days: int) -> datetime.datetime:
        """The start of the London day after the one `days` days ago: whatever happened
        before it happened at least `days` whole days ago."""
        return london_start(self.today - datetime.timedelta(days=days - 1))

    def joined_long_enough_ago(self) -> Q:
        """Joined at least the cohort's `reminder_not_started_days` ago (one condition for
        each distinct setting, a handful)."""
        condition = Q(pk__in=[])
        for days in self.not_started_days:
            condition |= Q(
                cohort__reminder_not_started_days=days, joined_at__lt=self.days_ago(days)
            )
        return condition

    @property
    def all_module_ids(self) -> set[int]:
        return (
            set().union(*self.module_ids_by_cohort.values()) if self.module_ids_by_cohort else set()
        )


def person_batches(batch_size: int = BATCH_SIZE) -> Iterator[tuple[int, int]]:
    """(first, last) primary keys of each batch of people who may be emailed."""
    people = recipients.emailable_people().order_by("pk").values_list("pk", flat=True)
    last = 0
    while True:
        ids = list(people.filter(pk__gt=last)[:batch_size])
        if not ids:
            return
        yield ids[0], ids[-1]
        last = ids[-1]


def _in_batch(prefix: str, batch: tuple[int, int]) -> Q:
    person = prefix[:-2] if prefix else "pk"
    return Q(**{f"{person}__gte": batch[0], f"{person}__lte": batch[1]})


def _people(kind: str, prefix: str, batch: tuple[int, int]) -> Q:
    return (
        _in_batch(prefix, batch)
        & recipients.may_be_emailed(prefix)
        & recipients.wants(kind, prefix)
    )


def _weekly(prefix: str):
    return Coalesce(F(recipients.weekly_summary_field(prefix)), False)


def not_started(run: RunContext, batch: tuple[int, int]) -> list[Due]:
    """Members who joined a cohort at least N days ago (the cohort's setting) and have
    opened none of its modules: a first reminder, and a second N days after the first;
    never a third. "Opened" is an enrolment in one of the cohort's modules, the definition
    of `Membership.objects.with_progress`'s `has_started`."""
    memberships = list(
        Membership.objects.filter(
            _people(Kind.NOT_STARTED, "learner__", batch),
            run.joined_long_enough_ago(),
        )
        .annotate(weekly=_weekly("learner__"), days=F("cohort__reminder_not_started_days"))
        .values_list("learner_id", "cohort_id", "days", "weekly")
    )
    if not memberships:
        return []
    opened: dict[int, set[int]] = defaultdict(set)
    for learner_id, module_id in Enrolment.objects.filter(
        _in_batch("learner__", batch), module__in=run.all_module_ids or [-1]
    ).values_list("learner_id", "module_id"):
        opened[learner_id].add(module_id)
    earlier: dict[tuple[int, str], dict[str, datetime.datetime]] = defaultdict(dict)
    for person_id, key, period, created_at in Reminder.objects.filter(
        _in_batch("person__", batch), kind=Kind.NOT_STARTED
    ).values_list("person_id", "object_key", "period", "created_at"):
        earlier[(person_id, key)][period] = created_at
    due = []
    for learner_id, cohort_id, days, weekly in memberships:
        if opened[learner_id] & run.module_ids_by_cohort.get(cohort_id, frozenset()):
            continue
        cutoff = run.days_ago(days)
        key = f"cohort:{cohort_id}"
        sent = earlier.get((learner_id, key), {})
        if "1" not in sent:
            period = "1"
        elif "2" not in sent and sent["1"] < cutoff:
            period = "2"
        else:
            continue
        due.append(Due(learner_id, Kind.NOT_STARTED, key, period, bool(weekly)))
    return due


def gone_quiet(run: RunContext, batch: tuple[int, int]) -> list[Due]:
    """Modules started and not completed with no visit for the site's `gone_quiet_days`:
    at most one reminder per module per calendar month."""
    activity = Coalesce("last_visited_at", "started_at")
    rows = (
        Enrolment.objects.filter(
            _people(Kind.GONE_QUIET, "learner__", batch),
            module__isnull=False,
            completed_at__isnull=True,
        )
        .alias(activity=activity)
        .filter(activity__lt=run.days_ago(run.quiet_days))
        .annotate(weekly=_weekly("learner__"))
        .values_list("learner_id", "module_id", "weekly")
    )
    period = run.today.strftime("%Y-%m")
    return [
        Due(learner_id, Kind.GONE_QUIET, f"module:{module_id}", period, bool(weekly))
        for learner_id, module_id, weekly in rows
    ]


def commitment_due(run: RunContext, batch: tuple[int, int]) -> list[Due]:
    """Action commitments due tomorrow ("due") or three days overdue ("overdue")."""
    tomorrow = run.today + datetime.timedelta(days=1)
    overdue = run.today - datetime.timedelta(days=3)
    rows = (
        JournalEntry.objects.filter(
            _people(Kind.COMMITMENT_DUE, "learner__", batch),
            kind=JournalEntry.Kind.ACTION,
            due_on__in=[tomorrow, overdue],
        )
        .annotate(weekly=_weekly("learner__"))
        .values_list("learner_id", "pk", "due_on", "weekly")
    )
    return [
        Due(
            learner_id,
            Kind.COMMITMENT_DUE,
            f"commitment:{pk}",
            "due" if due_on == tomorrow else "overdue",
            bool(weekly),
        )
        for learner_id, pk, due_on, weekly in rows
    ]


def team_waiting(run: RunContext, batch: tuple[int, int]) -> list[Due]:
    """Members who have not answered a team whose report is not open yet (fewer than
    MIN_GROUP_SIZE counted answers, `assessments.team_reports.counted_answers`): once per
    ISO week."""
    rows = list(
        TeamMembership.objects.filter(_people(Kind.TEAM_WAITING, "learner__", batch))
        .annotate(weekly=_weekly("learner__"))
        .values_list("learner_id", "team_id", "weekly")
    )
    if not rows:
        return []
    team_ids = {team_id for _, team_id, _ in rows}
    answered = set(
        Response.objects.submitted()
        .filter(team__in=team_ids, learner__isnull=False)
        .values_list("team_id", "learner_id")
        .distinct()
    )
    counts = counted_answers(team_ids)
    period = iso_week(run.today)
    return [
        Due(learner_id, Kind.TEAM_WAITING, f"team:{team_id}", period, bool(weekly))
        for learner_id, team_id, weekly in rows
        if (team_id, learner_id) not in answered
        and counts.get(team_id, 0) < settings.MIN_GROUP_SIZE
    ]


def meeting_tomorrow(run: RunContext, batch: tuple[int, int]) -> list[Due]:
    """Members of a learning set, still in its cohort, with a meeting tomorrow (London)."""
    tomorrow = run.today + datetime.timedelta(days=1)
    meetings: dict[int, list[int]] = defaultdict(list)
    for pk, set_id in Meeting.objects.filter(
        starts_at__gte=london_start(tomorrow),
        starts_at__lt=london_start(tomorrow + datetime.timedelta(days=1)),
    ).values_list("pk", "learning_set_id"):
        meetings[set_id].append(pk)
    if not meetings:
        return []
    rows = (
        SetMember.objects.filter(
            _people(Kind.MEETING_TOMORROW, "learner__", batch),
            recipients.still_a_member(cohort_ref="cohort", prefix="learner__"),
            learning_set__in=list(meetings),
        )
        .annotate(weekly=_weekly("learner__"))
        .values_list("learner_id", "learning_set_id", "weekly")
    )
    return [
        Due(learner_id, Kind.MEETING_TOMORROW, f"meeting:{meeting_id}", "", bool(weekly))
        for learner_id, set_id, weekly in rows
        for meeting_id in meetings[set_id]
    ]


SELECTORS = (not_started, gone_quiet, commitment_due, team_waiting, meeting_tomorrow)


def due_reminders(today: datetime.date, *, batch_size: int = BATCH_SIZE) -> Iterator[list[Due]]:
    """Everything due on `today`, one list for each batch of people."""
    run = RunContext.read(today)
    for batch in person_batches(batch_size):
        due: list[Due] = []
        for selector in SELECTORS:
            due.extend(selector(run, batch))
        yield due
