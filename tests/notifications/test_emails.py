"""Every reminder template renders, says why it was sent and how to stop it, and carries
the one-click unsubscribe headers."""

import datetime

import pytest
from django.template.loader import render_to_string

from learning_sets.models import Meeting
from notifications import emails, selection
from notifications.models import Kind, Reminder
from notifications.unsubscribe import unsubscribe_read
from tests.factories import UserFactory
from tests.learning_sets.factories import make_set

from .factories import commitment, london_today, team_with

pytestmark = pytest.mark.django_db


def reminder_for(person, kind, object_key, period=""):
    return Reminder(person=person, kind=kind, object_key=object_key, period=period, run="0" * 32)


@pytest.fixture
def about_everything(cohort, modules, lead, team_instrument):
    learner = UserFactory()
    entry = commitment(learner, due_on=london_today())
    team = team_with(team_instrument, [learner])
    learning_set = make_set(cohort, lead=lead, members=[learner])
    meeting = Meeting.objects.create(
        learning_set=learning_set,
        starts_at=selection.london_start(london_today()) + datetime.timedelta(hours=34),
        place="Room 4, Harbour House",
    )
    return learner, [
        reminder_for(learner, Kind.NOT_STARTED, f"cohort:{cohort.pk}", "1"),
        reminder_for(learner, Kind.NOT_STARTED, f"cohort:{cohort.pk}", "2"),
        reminder_for(learner, Kind.GONE_QUIET, f"module:{modules[0].pk}", "2026-12"),
        reminder_for(learner, Kind.COMMITMENT_DUE, f"commitment:{entry.pk}", "due"),
        reminder_for(learner, Kind.COMMITMENT_DUE, f"commitment:{entry.pk}", "overdue"),
        reminder_for(learner, Kind.TEAM_WAITING, f"team:{team.pk}", "2026-W49"),
        reminder_for(learner, Kind.MEETING_TOMORROW, f"meeting:{meeting.pk}"),
    ]


def test_every_reminder_renders_with_why_how_to_stop_and_the_headers(about_everything):
    learner, reminders = about_everything
    for reminder in reminders:
        message = emails.reminder_email(reminder, to=learner.email)
        assert message is not None, reminder
        html = message.alternatives[0][0]
        for part in (message.body, html):
            assert "You are getting this email because" in part
            assert "/notifications/preferences/" in part
            assert "/notifications/unsubscribe/" in part
            assert "{{" not in part and "{%" not in part
        assert message.body.startswith("Hello,")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = message.extra_headers["List-Unsubscribe"]
        assert link.startswith("<http") and link.endswith("/>")
        token = link.rstrip("/>").rsplit("/", 1)[1]
        assert unsubscribe_read(token).person_id == learner.pk
        assert unsubscribe_read(token).kind == reminder.kind


def test_the_commitment_email_never_quotes_the_private_text(about_everything):
    learner, reminders = about_everything
    message = emails.reminder_email(reminders[3], to=learner.email)
    assert "Ask two colleagues" not in message.body
    assert "due tomorrow" in message.body
    overdue = emails.reminder_email(reminders[4], to=learner.email)
    assert "was due on" in overdue.body


def test_the_meeting_email_carries_the_calendar_file(about_everything):
    learner, reminders = about_everything
    message = emails.reminder_email(reminders[-1], to=learner.email)
    (filename, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar" and filename.endswith(".ics")
    text = content if isinstance(content, str) else content.decode()
    assert "BEGIN:VEVENT" in text and "Europe/London" in text
    assert "Room 4, Harbour House" in message.body


def test_a_reminder_about_something_gone_renders_nothing(db):
    learner = UserFactory()
    for kind, key in [
        (Kind.NOT_STARTED, "cohort:999999"),
        (Kind.GONE_QUIET, "module:999999"),
        (Kind.COMMITMENT_DUE, "commitment:999999"),
        (Kind.TEAM_WAITING, "team:999999"),
        (Kind.MEETING_TOMORROW, "meeting:999999"),
    ]:
        assert emails.reminder_email(reminder_for(learner, kind, key), to=learner.email) is None


def test_the_weekly_summary_lists_each_item(about_everything):
    learner, reminders = about_everything
    message = emails.summary_email(
        to=learner.email, person_id=learner.pk, held_back=reminders, week_of=london_today()
    )
    assert message.subject == "Your week's reminders"
    assert message.body.count("\n- ") == len(reminders)
    assert "one summary a week" in message.body
    assert unsubscribe_read(
        message.extra_headers["List-Unsubscribe"].rstrip("/>").rsplit("/", 1)[1]
    ).switches_off == (
        Kind.NOT_STARTED,
        Kind.GONE_QUIET,
        Kind.COMMITMENT_DUE,
        Kind.TEAM_WAITING,
        Kind.MEETING_TOMORROW,
    )


def test_every_template_renders_on_its_own(db):
    for kind in (*emails.SUBJECTS, "base"):
        for ext in ("txt", "html"):
            text = render_to_string(
                f"notifications/email/{kind}.{ext}",
                {"service_name": "Leading Together", "kind_label": "Test", "items": []},
            )
            assert "Leading Together" in text
