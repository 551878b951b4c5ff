"""Sending one reminder, or one weekly summary, in the background.

A task first checks again that the person may be emailed and still wants the kind (they
may have switched it off, or lost their confirmed address, since the job recorded it),
then claims the row by setting `sent_at` where it is still empty, so that a task that runs
twice sends once. If the mail server fails, the claim is released and the task tries again
later (`core.mail.retry_later`).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from core.mail import delivery_connection, retry_later

from . import emails, recipients
from .models import Kind, Reminder

WEEKLY = "weekly summary"


def _release(pks: list[int]) -> None:
    Reminder.objects.filter(pk__in=pks).update(sent_at=None)


def _send(message, *, pks: list[int], task_, args, attempt: int) -> int:
    try:
        message.connection = delivery_connection()
        return message.send()
    except Exception as error:
        _release(pks)
        if retry_later(task_, *args, attempt=attempt, error=error):
            return 0
        raise


@task()
def reminder_send(reminder_id: int, attempt: int = 1) -> int:
    """Send one recorded reminder; returns how many emails left (0 or 1)."""
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("person").first()
    if reminder is None or reminder.sent_at is not None or reminder.held_back:
        return 0
    if not recipients.may_email(reminder.person_id, reminder.kind) or not (
        recipients.still_about_them(reminder.person_id, reminder.kind, reminder.object_key)
    ):
        Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
            held_back="may not be emailed"
        )
        return 0
    message = emails.reminder_email(reminder, to=reminder.person.email)
    if message is None:
        Reminder.objects.filter(pk=reminder.pk).update(held_back="no longer applies")
        return 0
    claimed = Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True, held_back="").update(
        sent_at=timezone.now()
    )
    if not claimed:
        return 0
    return _send(
        message, pks=[reminder.pk], task_=reminder_send, args=(reminder_id,), attempt=attempt
    )


@task()
def summary_send(summary_id: int, attempt: int = 1) -> int:
    """Send one person's weekly summary of the reminders held back for it in the week
    before the summary was recorded, and mark those as sent with it."""
    summary = Reminder.objects.filter(pk=summary_id, kind=Kind.WEEKLY_SUMMARY).first()
    if summary is None or summary.sent_at is not None or summary.held_back:
        return 0
    person = get_user_model().objects.filter(pk=summary.person_id).first()
    held = list(
        Reminder.objects.filter(
            person=summary.person_id,
            held_back=WEEKLY,
            sent_at__isnull=True,
            created_at__gte=summary.created_at - datetime.timedelta(days=7),
            created_at__lte=summary.created_at,
        ).order_by("created_at", "pk")
    )
    # Only the kinds the person still wants, if they may be emailed at all.
    wanted = [r for r in held if person is not None and recipients.may_email(person.pk, r.kind)]
    message = (
        emails.summary_email(
            to=person.email,
            person_id=person.pk,
            held_back=wanted,
            week_of=summary.created_at.date(),
        )
        if person is not None and wanted
        else None
    )
    if message is None:
        Reminder.objects.filter(pk=summary.pk).update(held_back="nothing to summarise")
        return 0
    now = timezone.now()
    claimed = Reminder.objects.filter(pk=summary.pk, sent_at__isnull=True, held_back="").update(
        sent_at=now
    )
    if not claimed:
        return 0
    pks = [r.pk for r in wanted]
    Reminder.objects.filter(pk__in=pks, sent_at__isnull=True).update(sent_at=now)
    return _send(
        message, pks=[summary.pk, *pks], task_=summary_send, args=(summary_id,), attempt=attempt
    )
