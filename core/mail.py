"""Email that leaves the request.

A message is rendered where its context is (in the request, or in a task), turned into a
plain dict and queued as a task once the current transaction commits. The worker sends it;
until production runs one, the immediate backend sends it at enqueue time, and a mail
server that is down fails that task (logged by django_tasks), never the request.
"""

from functools import partial
from typing import Any

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


def message_to_dict(message: EmailMessage) -> dict[str, Any]:
    """A message as JSON-serialisable data (attachments are not supported)."""
    if message.attachments:
        raise ValueError("Queued emails cannot carry attachments.")
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", None) or []
        ],
    }


def message_from_dict(data: dict[str, Any]) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    message.content_subtype = data["content_subtype"]
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


@task()
def email_send(message: dict) -> int:
    """Send one queued message; a failure raises, so the worker records it."""
    return message_from_dict(message).send()


def email_queue(message: EmailMessage) -> None:
    """Queue `message` to be sent by the worker once the current transaction commits.

    `robust`: if the queue itself cannot be reached, that is logged and the request that
    asked for the email still answers.
    """
    transaction.on_commit(partial(email_send.enqueue, message_to_dict(message)), robust=True)
