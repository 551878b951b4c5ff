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
