"""The daily reminders job: record what is due, then send exactly what this run recorded.

Each due reminder is inserted with this run's UUID, ignoring rows that exist already (the
unique constraint on person, kind, object and period). The rows carrying this run's UUID
are then exactly the ones this run inserted: a second run the same day, or two runs at
once, cannot insert, and so cannot send, the same reminder twice. One email task is queued
for each row; people who chose the weekly summary get their rows recorded as held back,
and on Mondays one summary of the week's held-back reminders.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from . import selection
from .models import Kind, Preferences, Reminder
from .tasks import WEEKLY, reminder_send, summary_send

INSERT_BATCH = 500
SUMMARY_DAY = 0  # Monday


@dataclass
class RunResult:
    run: uuid.UUID
    today: datetime.date
    recorded: int = 0
    held_back: int = 0
    queued: int = 0
    summaries: int = 0
    would_send: list[selection.Due] = field(default_factory=list)


def reminders_record(due: Iterable[selection.Due], *, run: uuid.UUID) -> None:
    now = timezone.now()
    Reminder.objects.bulk_create(
        [
            Reminder(
                person_id=item.person_id,
                kind=item.kind,
                object_key=item.object_key,
                period=item.period,
                run=run,
                created_at=now,
                held_back=WEEKLY if item.weekly_summary else "",
            )
            for item in due
        ],
        ignore_conflicts=True,
        batch_size=INSERT_BATCH,
    )


def _not_yet_recorded(due: list[selection.Due]) -> list[selection.Due]:
    """For a dry run: the due reminders that no earlier run recorded (one query)."""
    if not due:
        return []
    people = {item.person_id for item in due}
    existing = set(
        Reminder.objects.filter(person__in=people).values_list(
            "person_id", "kind", "object_key", "period"
        )
    )
    return [
        item
        for item in due
        if (item.person_id, item.kind, item.object_key, item.period) not in existing
    ]


def summaries_record(today: datetime.date, *, run: uuid.UUID) -> None:
    """One weekly-summary row for each person with reminders held back in the past week."""
    since = timezone.now() - datetime.timedelta(days=7)
    people = (
        Reminder.objects.filter(held_back=WEEKLY, sent_at__isnull=True, created_at__gte=since)
        .values_list("person_id", flat=True)
        .distinct()
    )
    now = timezone.now()
    period = selection.iso_week(today)
    Reminder.objects.bulk_create(
        [
            Reminder(
                person_id=person_id,
                kind=Kind.WEEKLY_SUMMARY,
                object_key="summary",
                period=period,
                run=run,
                created_at=now,
            )
            for person_id in people
        ],
        ignore_conflicts=True,
        batch_size=INSERT_BATCH,
    )


def reminders_run(
    today: datetime.date | None = None, *, dry_run: bool = False, batch_size: int = 1000
) -> RunResult:
    """Record and queue everything due on `today` (a London date; today by default).

    With `dry_run`, work out what would be sent and write nothing."""
    today = today or selection.london_today()
    result = RunResult(run=uuid.uuid4(), today=today)
    for due in selection.due_reminders(today, batch_size=batch_size):
        if dry_run:
            result.would_send.extend(_not_yet_recorded(due))
        else:
            reminders_record(due, run=result.run)
    if dry_run:
        return result
    if today.weekday() == SUMMARY_DAY:
        summaries_record(today, run=result.run)
    mine = Reminder.objects.filter(run=result.run)
    for pk, kind, held_back in mine.values_list("pk", "kind", "held_back").order_by("pk"):
        result.recorded += 1
        if held_back:
            result.held_back += 1
        elif kind == Kind.WEEKLY_SUMMARY:
            summary_send.enqueue(pk)
            result.summaries += 1
        else:
            reminder_send.enqueue(pk)
            result.queued += 1
    return result


def preferences_save(person, values: dict[str, bool]) -> Preferences:
    """Set some of the person's preferences, creating their row on the first change
    (a double submission updates the same row)."""
    with transaction.atomic():
        preferences, _created = Preferences.objects.select_for_update().get_or_create(person=person)
        for name, value in values.items():
            setattr(preferences, name, bool(value))
        preferences.save()
    return preferences


def preferences_switch_off(person, kinds: Iterable[str]) -> Preferences:
    """One-click unsubscribe: switch `kinds` off (repeating it changes nothing)."""
    return preferences_save(person, dict.fromkeys(kinds, False))
