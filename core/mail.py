"""Email that leaves the request.

A message is rendered where its context is (in the request, or in a task), turned into a
plain dict and queued as a task once the current transaction commits. The worker
(`manage.py db_worker` in production) sends it with EMAIL_DELIVERY_BACKEND; with the
immediate backend of development and tests it is sent at enqueue time. A mail server that
is down fails that task, never the request, and the task tries again later (`retry_later`:
after 1, 5, 25 and 120 minutes) before it gives up and is recorded as failed.

Mail that other code sends through Django's mail API (Wagtail's moderation and workflow
notices, allauth's, `mail_admins`) is queued the same way when EMAIL_BACKEND is
`QueuedEmailBackend`, as in production.
"""

import base64
import datetime
import logging
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger(__name__)

QUEUED_EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
# How long to wait before each further attempt at sending: five attempts in all.
EMAIL_RETRY_DELAYS = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 25, 120))
EMAIL_MAX_ATTEMPTS = len(EMAIL_RETRY_DELAYS) + 1


def message_to_dict(message: EmailMessage) -> dict[str, Any]:
    """A message as JSON-serialisable data. Attachments must be (filename, content,
    mimetype) triples, as `EmailMessage.attach` records them; their content travels as
    base64. Attached MIME parts (`attach(MIMEBase(...))`) are not supported."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise ValueError("Queued emails can carry only (filename, content, mimetype).")
        filename, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else bytes(content)
        attachments.append([filename, base64.b64encode(data).decode("ascii"), mimetype])
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
        "attachments": attachments,
    }


def message_from_dict(data: dict[str, Any], *, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        connection=connection,
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
    # Messages queued before attachments were supported have no such key.
    for filename, content, mimetype in data.get("attachments", []):
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


def delivery_connection(**kwargs):
    """A connection to the backend that really sends: EMAIL_DELIVERY_BACKEND, or else
    EMAIL_BACKEND. Never the queueing backend, which would queue the message again."""
    backend = getattr(settings, "EMAIL_DELIVERY_BACKEND", "") or settings.EMAIL_BACKEND
    if backend == QUEUED_EMAIL_BACKEND:
        raise ImproperlyConfigured(
            "EMAIL_DELIVERY_BACKEND must name a backend that sends (such as SMTP) when "
            "EMAIL_BACKEND queues."
        )
    return get_connection(backend, **kwargs)


def retry_later(task_: Task, *args: Any, attempt: int, error: Exception, **kwargs: Any) -> bool:
    """Queue attempt `attempt + 1` of `task_(*args, **kwargs)` after the next delay of
    EMAIL_RETRY_DELAYS, and say whether it did.

    It does not after the last attempt, nor when the backend cannot run a task later (the
    immediate backend of development and tests): the caller then raises, and the failure
    is recorded in the task's result, where the failed tasks report shows it.
    """
    if attempt >= EMAIL_MAX_ATTEMPTS or not task_.get_backend().supports_defer:
        return False
    run_after = timezone.now() + EMAIL_RETRY_DELAYS[attempt - 1]
    task_.using(run_after=run_after).enqueue(*args, **kwargs, attempt=attempt + 1)
    logger.warning(
        "%s failed (attempt %s of %s, %s); trying again after %s",
        task_.name,
        attempt,
        EMAIL_MAX_ATTEMPTS,
        f"{type(error).__module__}.{type(error).__qualname__}",
        run_after.isoformat(),
    )
    return True


@task()
def email_send(message: dict, attempt: int = 1) -> int:
    """Send one queued message with the delivery backend; returns how many were sent.

    If sending fails, another attempt is queued for later and this one returns 0; the
    last attempt raises, so the worker records the failure.
    """
    try:
        return message_from_dict(message, connection=delivery_connection()).send()
    except Exception as error:
        if retry_later(email_send, message, attempt=attempt, error=error):
            return 0
        raise


def email_queue(message: EmailMessage) -> None:
    """Queue `message` to be sent by the worker once the current transaction commits.

    `robust`: if the queue itself cannot be reached, that is logged and the request that
    asked for the email still answers.
    """
    transaction.on_commit(partial(email_send.enqueue, message_to_dict(message)), robust=True)


class QueuedEmailBackend(BaseEmailBackend):
    """An email backend that sends nothing itself: each message is queued (`email_queue`)
    for the worker, which sends it with EMAIL_DELIVERY_BACKEND. It lets mail sent by code
    we do not own (Wagtail's notifications, `mail_admins`) leave the request too."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                email_queue(message)
            except Exception:
                if not self.fail_silently:
                    raise
                logger.exception("Could not queue an email")
                continue
            count += 1
        return count
