"""Mail backends for tests: a mail server that is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    """Every send fails, as an SMTP server that is down or refuses the message does."""

    error: type[Exception] = smtplib.SMTPException

    def send_messages(self, email_messages):
        raise self.error("the mail server is down")


class UnreachableBackend(RefusingBackend):
    error = ConnectionRefusedError


REFUSING = "tests.mail_backends.RefusingBackend"
UNREACHABLE = "tests.mail_backends.UnreachableBackend"
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
