"""core.mail: emails leave the request as tasks queued after commit."""

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus

from core.mail import email_queue, email_send, message_from_dict, message_to_dict
from tests.mail_backends import DUMMY_TASKS, REFUSING, UNREACHABLE


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


def test_attachments_are_refused_rather_than_dropped():
    message = EmailMessage("Subject", "Body", to=["to@example.org"])
    message.attach("a.txt", "text", "text/plain")

    with pytest.raises(ValueError, match="attachments"):
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
