"""The deploy guide and .env.example list every environment variable the site reads."""

import re
from pathlib import Path

from core.management.commands.scheduler import JOBS
from tests.test_deploy_files import procfile

BASE_DIR = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""(?:environ\.get|env_bool|env_list|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)["']"""
)
# Read by libraries rather than by our code: dj-database-url, Django's entry points.
READ_ELSEWHERE = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
# Set by the test runner (pytest-xdist names each worker process; scripts/with-postgres
# names the migrated template database), read only by the test settings, and never set by
# whoever deploys the site.
SET_BY_THE_TEST_RUNNER = {"PYTEST_XDIST_WORKER", "TEST_DATABASE_TEMPLATE"}


def variables_read() -> set[str]:
    sources = [*sorted((BASE_DIR / "lms" / "settings").glob("*.py")), BASE_DIR / "gunicorn.conf.py"]
    names = set(READ_ELSEWHERE)
    for path in sources:
        names |= set(READ.findall(path.read_text()))
    return names - SET_BY_THE_TEST_RUNNER


def test_the_reader_finds_the_variables():
    names = variables_read()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "AWS_STORAGE_BUCKET_NAME", "PORT"} <= names
    assert {"WEB_CONCURRENCY", "COHORT_INVITATION_DAYS", "HEALTH_CHECK_TOKEN"} <= names
    assert len(names) >= 50


def test_every_variable_is_in_env_example():
    listed = set(
        re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (BASE_DIR / ".env.example").read_text(), re.M)
    )
    assert variables_read() - listed == set()


def test_every_variable_is_in_the_deploy_guide():
    guide = (BASE_DIR / "docs" / "deploy.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", guide))
    assert variables_read() - documented == set()


def test_the_deploy_guide_gives_the_procfile_and_scheduled_commands():
    guide = (BASE_DIR / "docs" / "deploy.md").read_text()
    for command in procfile().values():
        assert f"`{command}`" in guide, command
    for job in JOBS:
        assert f"`{job}`" in guide, job
        assert f"manage.py {job}" in guide, job  # the cron alternative


def test_the_readme_points_to_the_deploy_guide():
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1].split("\n## ", 1)[0]
    assert "(docs/deploy.md)" in section
