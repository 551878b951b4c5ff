"""Rendering reminder emails: subject, text and HTML parts, the calendar file for a
meeting, and the RFC 8058 one-click unsubscribe headers.

Every email says why it was sent and how to stop it, and links to the preferences page.
Links are absolute, from WAGTAILADMIN_BASE_URL (emails have no request). Rendering reads
what the reminder is about (one or two queries); it never writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import Team
from cohorts.models import Cohort
from learning_sets.calendars import meeting_filename, meeting_ics
from learning_sets.models import Meeting
from modules.models import JournalEntry, ModulePage

from .models import Kind, Reminder
from .unsubscribe import unsubscribe_token

SUBJECTS: dict[str, str] = {
    Kind.NOT_STARTED: "Your learning in %(name)s is ready to start",
    Kind.GONE_QUIET: "Pick up where you left off: %(name)s",
    Kind.COMMITMENT_DUE: "An action you committed to is due",
    Kind.TEAM_WAITING: "Your team %(name)s is waiting for your answers",
    Kind.MEETING_TOMORROW: "Your learning set meets tomorrow",
    Kind.WEEKLY_SUMMARY: "Your week's reminders",
}


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def unsubscribe_url(person_id: int, kind: str) -> str:
    token = unsubscribe_token(person_id, kind)
    return absolute(reverse("notifications:unsubscribe", kwargs={"token": token}))


def unsubscribe_headers(person_id: int, kind: str) -> dict[str, str]:
    """RFC 8058: a mail client may offer "Unsubscribe" and POST to the link itself."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(person_id, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@dataclass
class Rendered:
    subject: str
    context: dict[str, Any]
    attachments: list[tuple[str, bytes, str]]


def _page_url(page) -> str:
    url = page.get_url() if page is not None else None
    if not url:
        return absolute(reverse("modules:my_learning"))
    return url if url.startswith("http") else absolute(url)


def _about(kind: str, object_key: str, period: str) -> Rendered | None:
    """What the reminder is about, or None if that no longer exists."""
    _prefix, _colon, raw_id = object_key.partition(":")
    object_id = int(raw_id) if raw_id.isdigit() else 0
    attachments: list[tuple[str, bytes, str]] = []
    if kind == Kind.NOT_STARTED:
        cohort = Cohort.objects.filter(pk=object_id).first()
        if cohort is None:
            return None
        name = cohort.name
        context = {"cohort": cohort, "second": period == "2"}
        context["action_url"] = absolute(reverse("modules:my_learning"))
    elif kind == Kind.GONE_QUIET:
        module = ModulePage.objects.filter(pk=object_id).first()
        if module is None:
            return None
        name = module.title
        context = {"module": module, "action_url": _page_url(module)}
    elif kind == Kind.COMMITMENT_DUE:
        entry = JournalEntry.objects.filter(pk=object_id).select_related("lesson").first()
        if entry is None:
            return None
        name = entry.lesson_title
        context = {
            "entry": entry,
            "overdue": period == "overdue",
            "action_url": absolute(reverse("modules:journal")),
            "lesson_url": _page_url(entry.lesson) if entry.lesson else "",
        }
    elif kind == Kind.TEAM_WAITING:
        team = Team.objects.filter(pk=object_id).first()
        if team is None:
            return None
        name = team.name
        context = {"team": team, "action_url": absolute(team.get_absolute_url())}
    elif kind == Kind.MEETING_TOMORROW:
        meeting = Meeting.objects.filter(pk=object_id).select_related("learning_set").first()
        if meeting is None:
            return None
        name = meeting.learning_set.name
        context = {
            "meeting": meeting,
            "learning_set": meeting.learning_set,
            "action_url": absolute(
                reverse("learning_sets:set", kwargs={"pk": meeting.learning_set_id})
            ),
        }
        attachments.append((meeting_filename(meeting), meeting_ics(meeting), "text/calendar"))
    else:
        return None
    return Rendered(
        subject=_(SUBJECTS[kind]) % {"name": name}, context=context, attachments=attachments
    )


def _message(
    *, to: str, person_id: int, kind: str, subject: str, context: dict
) -> EmailMultiAlternatives:
    context = {
        **context,
        "kind": kind,
        "kind_label": Kind(kind).label,
        "service_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": preferences_url(),
        "unsubscribe_url": unsubscribe_url(person_id, kind),
    }
    body = render_to_string(f"notifications/email/{kind}.txt", context)
    html = render_to_string(f"notifications/email/{kind}.html", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [to],
        headers=unsubscribe_headers(person_id, kind),
    )
    message.attach_alternative(html, "text/html")
    return message


def reminder_email(reminder: Reminder, *, to: str) -> EmailMultiAlternatives | None:
    """The email for one reminder, or None if what it is about has gone."""
    about = _about(reminder.kind, reminder.object_key, reminder.period)
    if about is None:
        return None
    message = _message(
        to=to,
        person_id=reminder.person_id,
        kind=reminder.kind,
        subject=about.subject,
        context=about.context,
    )
    for filename, content, mimetype in about.attachments:
        message.attach(filename, content, mimetype)
    return message


def summary_email(
    *, to: str, person_id: int, held_back: list[Reminder], week_of: datetime.date
) -> EmailMultiAlternatives | None:
    """One email gathering a week's held-back reminders, or None if none still applies."""
    items = []
    for reminder in held_back:
        about = _about(reminder.kind, reminder.object_key, reminder.period)
        if about is not None:
            items.append({"subject": about.subject, "action_url": about.context["action_url"]})
    if not items:
        return None
    return _message(
        to=to,
        person_id=person_id,
        kind=Kind.WEEKLY_SUMMARY,
        subject=_(SUBJECTS[Kind.WEEKLY_SUMMARY]),
        context={"items": items, "week_of": week_of},
    )
