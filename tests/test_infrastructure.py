"""The test run itself: which database it uses, and that production settings pass
Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_it_was_asked_for():
    """`make test` runs the suite in two phases and says which backend each must use."""
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if not expected:
        # make exports MAKELEVEL to what it runs: under make the variable must be there.
        assert "MAKELEVEL" not in os.environ, "make ran pytest without EXPECT_DB_VENDOR"
        pytest.skip("EXPECT_DB_VENDOR is not set (make test sets it for each run)")
    assert connection.vendor == expected


@pytest.mark.django_db(transaction=True)
def test_flush_empties_every_table_whatever_refers_to_what():
    """What runs after each test that commits (tests/postgresql_flush on PostgreSQL): rows
    that refer to each other across tables, in both directions, and the rows migrations
    wrote are all gone, and the content types and permissions are back."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.core.management.color import no_style

    from tests.cohorts.factories import add_members, make_cohort, make_lead
    from tests.factories import UserFactory

    cohort = make_cohort(lead=make_lead())
    add_members(cohort, [UserFactory(), UserFactory()])
    assert any(model.objects.exists() for model in apps.get_models() if model._meta.managed)

    call_command("flush", verbosity=0, interactive=False)

    left = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.managed and model not in (ContentType, Permission) and model.objects.exists()
    ]
    assert left == []
    assert ContentType.objects.exists() and Permission.objects.exists()
    if connection.vendor == "postgresql":
        statements = connection.ops.sql_flush(no_style(), ["lms_example"])
        assert statements[-1].startswith("DELETE FROM"), statements


def test_every_file_the_sqlite_phase_names_exists():
    """A misspelt entry would quietly take its tests off SQLite."""
    from tests.conftest import SQLITE_TOO, TESTS

    missing = sorted(name for name in SQLITE_TOO if not (TESTS / name).is_file())

    assert not missing


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SECURE_", "SESSION_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
