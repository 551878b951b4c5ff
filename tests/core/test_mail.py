"""core.mail: emails leave the request as tasks queued after commit."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.mail import (
    EMAIL_MAX_ATTEMPTS,
    delivery_connection,
    email_queue,
    email_send,
    message_from_dict,
    message_to_dict,
)
from tests.mail_backends import DUMMY_TASKS, REFUSING, UNREACHABLE
from tests.task_queue import database_queue, run_worker  # noqa: F401


def a_message():
    message = EmailMultiAlternatives(
        "Subject line",
        "Plain body",
        "Site <noreply@example.org>",
        ["to@example.org"],
        cc=["cc@example.org"],
        reply_to=["lead@example.org"],
        headers={"X-Thing": "1"},
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")
    return message


def test_a_message_survives_the_round_trip_through_json_data():
    import json

    data = json.loads(json.dumps(message_to_dict(a_message())))
    message = message_from_dict(data)

    assert message.subject == "Subject line"
    assert message.body == "Plain body"
    assert message.from_email == "Site <noreply@example.org>"
    assert message.to == ["to@example.org"]
    assert message.cc == ["cc@example.org"]
    assert message.reply_to == ["lead@example.org"]
    assert message.extra_headers == {"X-Thing": "1"}
    assert [tuple(alternative) for alternative in message.alternatives] == [
        ("<p>HTML body</p>", "text/html")
    ]


def test_attachments_survive_the_round_trip_as_base64():
    import json

    message = a_message()
    message.attach("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    message.attach("logo.png", b"\x89PNG\x00\xff", "image/png")
    message.attach("note.txt", "plain text", "text/plain")

    data = json.loads(json.dumps(message_to_dict(message)))
    again = message_from_dict(data)

    assert [tuple(attachment) for attachment in again.attachments] == [
        ("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar"),
        ("logo.png", b"\x89PNG\x00\xff", "image/png"),
        ("note.txt", "plain text", "text/plain"),
    ]
    assert "meeting.ics" in again.message().as_string()


def test_a_message_queued_before_attachments_existed_still_reads():
    data = message_to_dict(a_message())
    del data["attachments"]

    assert message_from_dict(data).attachments == []


def test_attached_mime_parts_are_refused_rather_than_dropped():
    from email.mime.text import MIMEText

    message = EmailMessage("Subject", "Body", to=["to@example.org"])
    message.attach(MIMEText("text"))

    with pytest.raises(ValueError, match="filename, content, mimetype"):
        message_to_dict(message)


@pytest.mark.django_db
def test_nothing_is_sent_until_the_transaction_commits(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email_queue(a_message())

    assert mailoutbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert [message.subject for message in mailoutbox] == ["Subject line"]
    assert mailoutbox[0].alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_with_a_real_queue_the_email_is_only_queued(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = DUMMY_TASKS

    with django_capture_on_commit_callbacks(execute=True):
        email_queue(a_message())

    assert mailoutbox == []
    (result,) = default_task_backend.results
    assert result.task.func is email_send.func
    assert result.args[0]["to"] == ["to@example.org"]


@pytest.mark.parametrize("backend", [REFUSING, UNREACHABLE])
@pytest.mark.django_db
def test_a_mail_server_that_is_down_fails_the_task_not_the_caller(
    settings, backend, django_capture_on_commit_callbacks, caplog
):
    """The immediate backend catches what the task raises, marks it failed and logs it."""
    settings.EMAIL_BACKEND = backend

    with django_capture_on_commit_callbacks(execute=True):
        email_queue(a_message())  # raises nothing

    result = email_send.enqueue(message_to_dict(a_message()))
    assert result.status == TaskResultStatus.FAILED
    assert "the mail server is down" in caplog.text


# Retries with the database queue -----------------------------------------------------------


def run_due_now():
    """Let the retry that is waiting fall due, as time passing would, and run the worker."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_a_failed_email_is_tried_again_later_with_backoff_then_recorded_as_failed(
    settings, mailoutbox
):
    settings.EMAIL_BACKEND = REFUSING
    email_send.enqueue(message_to_dict(a_message()))
    delays = []

    for _ in range(EMAIL_MAX_ATTEMPTS - 1):
        started = timezone.now()
        run_due_now()
        (waiting,) = DBTaskResult.objects.filter(status="READY")
        delays.append(round((waiting.run_after - started).total_seconds() / 60))
        assert waiting.args_kwargs["args"][0]["to"] == ["to@example.org"]
        run_worker()  # not yet due: nothing runs
        assert DBTaskResult.objects.filter(status="READY").count() == 1

    assert delays == [1, 5, 25, 120]
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0

    run_due_now()

    assert not DBTaskResult.objects.filter(status="READY").exists()
    (failed,) = DBTaskResult.objects.filter(status="FAILED")
    assert failed.args_kwargs["kwargs"] == {"attempt": EMAIL_MAX_ATTEMPTS}
    assert failed.exception_class_path == "smtplib.SMTPException"
    assert DBTaskResult.objects.filter(status="SUCCESSFUL", return_value=0).count() == 4
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_an_email_that_fails_once_goes_on_the_next_attempt(settings, mailoutbox):
    settings.EMAIL_BACKEND = REFUSING
    email_send.enqueue(message_to_dict(a_message()))
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    run_due_now()

    assert [message.subject for message in mailoutbox] == ["Subject line"]
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_the_task_sends_with_the_delivery_backend_and_never_queues_again(settings, mailoutbox):
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_send.enqueue(message_to_dict(a_message()))

    run_worker()

    assert [message.subject for message in mailoutbox] == ["Subject line"]
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL"]


def test_a_delivery_backend_that_queues_is_refused(settings):
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = ""

    with pytest.raises(ImproperlyConfigured, match="EMAIL_DELIVERY_BACKEND"):
        delivery_connection()


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_an_invitation_that_cannot_be_sent_is_tried_again_and_stays_unsent(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    from cohorts.models import Invitation
    from cohorts.services import cohort_invite
    from tests.cohorts.factories import make_cohort, make_lead

    settings.EMAIL_BACKEND = REFUSING
    lead = make_lead()
    cohort = make_cohort(lead=lead)
    with django_capture_on_commit_callbacks(execute=True):
        cohort_invite(
            cohort=cohort,
            invited_by=lead,
            emails=["new.person@example.org"],
            base_url="https://learning.example.org/",
        )
    invitation = Invitation.objects.get()

    run_worker()

    invitation.refresh_from_db()
    assert invitation.sent_at is None
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    assert waiting.task_path == "cohorts.tasks.invitation_email_send"
    assert waiting.args_kwargs == {
        "args": [invitation.pk, "https://learning.example.org/"],
        "kwargs": {"attempt": 2},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    run_due_now()

    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert [message.to for message in mailoutbox] == [["new.person@example.org"]]
