"""core/logs.py: a request id on every request and log line, JSON lines in production,
and every line logged once."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.logs import JSONFormatter, RequestIDFilter, request_id_for, request_id_var

ROOT = Path(__file__).resolve().parents[2]
HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize(
    "header",
    ["0f8e2c1d9a7b4e3f8c2d1a0b9e8f7c6d", "9b2c6f1e-3d4a-4b5c-8d7e-1f2a3b4c5d6e", "req.1:2_3"],
)
def test_a_well_formed_request_id_is_kept(header):
    assert request_id_for(header) == header


@pytest.mark.parametrize(
    "header",
    [None, "", "short", "x" * 129, "forged\nWARNING other line", "id with spaces", "-leading"],
)
def test_anything_else_gets_a_new_random_id(header):
    request_id = request_id_for(header)
    assert HEX_ID.fullmatch(request_id)
    assert request_id != request_id_for(header)


@pytest.mark.django_db
def test_the_response_carries_the_request_id(client, home_page):
    given = client.get("/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")
    made = client.get("/", HTTP_X_REQUEST_ID="bad id\r\n")

    assert given.status_code == 200
    assert given["X-Request-ID"] == "lb-0123456789abcdef"
    assert HEX_ID.fullmatch(made["X-Request-ID"])
    # Cleared once the response is finished: later lines belong to no request.
    assert request_id_var.get() is None


@pytest.fixture
def json_log():
    """The production handler (JSON formatter, request id filter) on the root logger."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter())
    handler.addFilter(RequestIDFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_logs_json_lines_with_its_id(client, home_page, json_log):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="lb-0123456789abcdef")

    assert response.status_code == 404
    (line,) = [line for line in json_log() if line["logger"] == "django.request"]
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == "lb-0123456789abcdef"
    assert line["status_code"] == 404
    assert line["time"].endswith("+00:00")


def test_outside_a_request_the_id_is_null_and_a_traceback_stays_on_one_line(json_log):
    logger = logging.getLogger("tests.core")
    try:
        raise ValueError("two\nlines")
    except ValueError:
        logger.exception("It failed:\nbadly")

    (line,) = json_log()
    assert line["request_id"] is None
    assert line["message"] == "It failed:\nbadly"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert "ValueError: two\nlines" in line["exception"]


LOG_SOME_LINES = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("Not Found: /nowhere/")
logging.getLogger("django.server").warning("GET /nowhere/ 404")
logging.getLogger("cohorts.tasks").warning("from an app")
"""


def stderr_lines(settings_module: str, **environ) -> list[str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **environ)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOG_SOME_LINES], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


def test_development_prints_each_line_once():
    lines = stderr_lines("lms.settings.dev")

    assert sum("Not Found: /nowhere/" in line for line in lines) == 1
    assert sum("from an app" in line for line in lines) == 1


def test_production_prints_each_line_once_as_json():
    lines = stderr_lines(
        "lms.settings.production", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org"
    )

    entries = [json.loads(line) for line in lines]
    assert [(entry["logger"], entry["message"]) for entry in entries] == [
        ("django.request", "Not Found: /nowhere/"),
        ("django.server", "GET /nowhere/ 404"),
        ("cohorts.tasks", "from an app"),
    ]
    assert {entry["request_id"] for entry in entries} == {None}


READ_SENTRY = """
import json
import django
django.setup()
import sentry_sdk
client = sentry_sdk.get_client()
print(json.dumps({
    "active": client.is_active(),
    "pii": client.options["send_default_pii"],
    "django": "django" in client.integrations,
}))
"""


@pytest.mark.parametrize(("dsn", "active"), [("", False), ("https://key@sentry.invalid/1", True)])
def test_sentry_is_on_only_with_a_dsn_and_without_personal_data(dsn, active):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        SENTRY_DSN=dsn,
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ_SENTRY], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert state["active"] is active
    if active:
        assert state["pii"] is False
        assert state["django"] is True
