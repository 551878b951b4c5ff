"""What lms.settings.production configures, read in a fresh interpreter from a given
environment, as a deployment would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READ = """
import json
from django.conf import settings
print(json.dumps({
    "tasks": settings.TASKS["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "delivery": settings.EMAIL_DELIVERY_BACKEND,
    "apps": settings.INSTALLED_APPS,
}))
"""


def production_settings(**environ) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "TASKS_BACKEND", "EMAIL_DELIVERY_BACKEND"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="learning.example.org",
        **environ,
    )
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert output.returncode == 0, output.stderr
    return json.loads(output.stdout)


def test_production_queues_tasks_in_the_database_and_emails_as_tasks():
    configured = production_settings()

    assert configured["tasks"] == "django_tasks_db.DatabaseBackend"
    assert "django_tasks_db" in configured["apps"]
    assert configured["email"] == "core.mail.QueuedEmailBackend"
    assert configured["delivery"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize(
    ("variable", "value", "key"),
    [
        ("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend", "tasks"),
        ("EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend", "delivery"),
    ],
)
def test_the_environment_may_override_them(variable, value, key):
    assert production_settings(**{variable: value})[key] == value


def test_dev_and_tests_keep_the_immediate_backend(settings):
    assert settings.TASKS["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )
