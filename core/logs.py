"""Logs that a machine can read: one JSON object per line, each with the request's id.

`RequestIDMiddleware` gives every request an id: the `X-Request-ID` header the proxy or
load balancer sent, if it is well formed, or a new random one. The id is sent back in the
response's `X-Request-ID` header and kept in a context variable for the request's
duration, where `RequestIDFilter` adds it to every log record (`request_id`; null outside
a request, as in the task worker). `JSONFormatter` writes each record as one line of
JSON. Production uses both (see `lms/settings/production.py`).
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

from django.core.signals import request_finished

REQUEST_ID_HEADER = "X-Request-ID"
# What nginx's $request_id, UUIDs and most load balancers' ids look like; anything else
# (too long, or with characters that could forge log lines) is replaced.
WELL_FORMED_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)


def request_id_for(header: str | None) -> str:
    """The client's id if it is well formed, else a new random one."""
    if header and WELL_FORMED_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def request_id_clear(**kwargs) -> None:
    request_id_var.set(None)


class RequestIDMiddleware:
    """Put it first in MIDDLEWARE, so that every line logged for a request has its id.

    The id stays set until the response is finished (`request_finished`), not only while
    the middleware runs: Django logs 4xx and 5xx responses ("Not Found: ...") after the
    whole middleware chain has returned.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(request_id_clear, dispatch_uid="core.logs.request_id_clear")

    def __call__(self, request):
        request_id = request_id_for(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIDFilter(logging.Filter):
    """Add `request_id` (the current request's, or None) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request_id,
    and the status code, exception and stack when a record has them. Newlines inside the
    message or traceback stay inside the JSON string, so one record is always one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status_code"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
