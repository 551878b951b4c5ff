"""Health checks for load balancers (issue 11, item 5): `/health/live/` touches nothing,
`/health/` says only "ok" or "failing", and only site admins (or a monitor with the token)
read which check failed and why."""

import datetime
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.core.files.storage import FileSystemStorage, storages
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from tests.cohorts.factories import make_site_admin
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SECRET_DETAIL = "db-7.internal.example:5432"
TOKEN = "monitor-token-0123456789abcdef"


@task()
def nothing() -> None:
    """A task for filling the queue."""


@pytest.fixture
def database_queue(settings):
    """django-tasks-db as the task backend, as in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queue(count=1, *, waited=0, run_after=None):
    """Queue `count` tasks that have been waiting for `waited` seconds."""
    for _ in range(count):
        (nothing.using(run_after=run_after) if run_after else nothing).enqueue()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=waited))


def body(response):
    return response.content.decode()


# Liveness ----------------------------------------------------------------------------


def test_live_answers_ok_without_touching_the_database(client):
    # No django_db mark: any query would raise here.
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert body(response) == "ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response
    assert reverse("health_live") == "/health/live/"


def test_live_answers_even_when_the_database_is_down(client, monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", broken_connection)
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert body(response) == "ok\n"


# Readiness ---------------------------------------------------------------------------


def broken_connection(*args, **kwargs):
    raise OperationalError(f"could not connect to server at {SECRET_DETAIL}")


@pytest.mark.django_db
def test_a_healthy_site_answers_ok(client, database_queue):
    queue(3, waited=5)
    response = client.get("/health/")
    assert response.status_code == 200
    assert body(response) == "ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_the_answer_ignores_what_the_client_accepts(client):
    for accept in ("application/json", "text/html", "application/atom+xml"):
        response = client.get("/health/?format=json", HTTP_ACCEPT=accept)
        assert (response.status_code, body(response)) == (200, "ok\n")


@pytest.mark.django_db
def test_the_storage_probe_leaves_nothing_behind(client, settings):
    client.get("/health/")
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_ROOT):
        storage = FileSystemStorage(location=root)
        if storage.exists("health_check_storage_test"):
            assert storage.listdir("health_check_storage_test")[1] == []


@pytest.mark.django_db
def test_a_database_failure_is_failing_without_details(client, monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "temporary_connection", broken_connection)
    response = client.get("/health/")
    assert response.status_code == 503
    assert body(response) == "failing\n"


@pytest.mark.django_db
def test_a_cache_failure_is_failing_without_details(client, monkeypatch):
    async def refused(*args, **kwargs):
        raise ConnectionError(f"Error 111 connecting to {SECRET_DETAIL}")

    monkeypatch.setattr(LocMemCache, "aset", refused)
    response = client.get("/health/")
    assert response.status_code == 503
    assert body(response) == "failing\n"


@pytest.mark.django_db
def test_a_private_storage_failure_is_failing(client, monkeypatch):
    def refused(self, *args, **kwargs):
        raise PermissionError("the private storage is not writable")

    # Whichever backend the private storage is (the local disk, or S3 under with-s3).
    monkeypatch.setattr(type(storages["private"]), "_save", refused)
    response = client.get("/health/")
    assert response.status_code == 503
    assert body(response) == "failing\n"


@pytest.mark.django_db
def test_an_old_ready_task_is_failing(client, database_queue, settings):
    settings.HEALTH_TASK_AGE_MAX_SECONDS = 600
    queue(1, waited=601)
    response = client.get("/health/")
    assert response.status_code == 503
    assert body(response) == "failing\n"


@pytest.mark.django_db
def test_a_task_just_under_the_age_limit_is_fine(client, database_queue, settings):
    settings.HEALTH_TASK_AGE_MAX_SECONDS = 600
    queue(1, waited=540)
    assert client.get("/health/").status_code == 200


@pytest.mark.django_db
def test_a_long_backlog_is_failing(client, database_queue, settings):
    settings.HEALTH_TASK_BACKLOG_MAX = 2
    queue(2)
    assert client.get("/health/").status_code == 200
    queue(1)
    response = client.get("/health/")
    assert response.status_code == 503
    assert body(response) == "failing\n"


@pytest.mark.django_db
def test_tasks_finished_or_scheduled_later_are_not_waiting(client, database_queue, settings):
    settings.HEALTH_TASK_AGE_MAX_SECONDS = 600
    later = timezone.now() + datetime.timedelta(hours=1)
    queue(1, waited=7200, run_after=later)  # queued long ago to run in an hour
    assert client.get("/health/").status_code == 200
    DBTaskResult.objects.update(status="SUCCESSFUL", run_after=timezone.now())
    assert client.get("/health/").status_code == 200
    # Due since two hours ago and still not run.
    DBTaskResult.objects.update(
        status="READY", run_after=timezone.now() - datetime.timedelta(hours=2)
    )
    assert client.get("/health/").status_code == 503


# Details: site admins and the monitor's token only -----------------------------------


@pytest.fixture
def failing_database(monkeypatch):
    monkeypatch.setattr(BaseDatabaseWrapper, "temporary_connection", broken_connection)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "learner", "staff"])
def test_details_are_not_found_for_anyone_else(client, who, failing_database):
    if who != "anonymous":
        client.force_login(UserFactory(is_staff=who == "staff"))
    response = client.get("/health/detail/", HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert SECRET_DETAIL not in body(response)
    assert "Database" not in body(response)


@pytest.mark.django_db
def test_a_wrong_token_is_not_found(client, settings):
    settings.HEALTH_CHECK_TOKEN = TOKEN
    for header in ("Bearer wrong", f"Bearer {TOKEN}x", TOKEN, ""):
        assert client.get("/health/detail/", HTTP_AUTHORIZATION=header).status_code == 404


@pytest.mark.django_db
def test_no_token_setting_means_no_token_works(client, settings):
    settings.HEALTH_CHECK_TOKEN = ""
    assert client.get("/health/detail/", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["site admin", "superuser"])
def test_site_admins_read_each_check(client, who):
    user = make_site_admin() if who == "site admin" else UserFactory(is_superuser=True)
    client.force_login(user)
    response = client.get("/health/detail/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    results = response.json()
    assert set(results.values()) == {"OK"}
    assert any(name.startswith("Database(") for name in results)
    assert any(name.startswith("Cache(") for name in results)
    assert sum(name.startswith("Storage(") for name in results) == 2
    assert "TaskQueue()" in results
    assert "private, no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_token_reads_why_a_check_fails(client, settings, failing_database):
    settings.HEALTH_CHECK_TOKEN = TOKEN
    response = client.get(
        "/health/detail/", HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )
    assert response.status_code == 503
    failing = {name: text for name, text in response.json().items() if text != "OK"}
    assert list(failing) == ["Database(alias='default')"]
    assert failing["Database(alias='default')"].startswith("Unavailable: could not connect")


@pytest.mark.django_db
def test_a_site_admin_reads_the_task_queue_figures(client, database_queue, settings):
    settings.HEALTH_TASK_BACKLOG_MAX = 1
    client.force_login(make_site_admin())
    DBTaskResult.objects.all().delete()  # whatever making the account queued
    queue(2)
    response = client.get("/health/detail/?format=text")
    assert response.status_code == 503
    assert "TaskQueue(): Unavailable: 2 tasks ready to run (at most 1)" in body(response)


# Behind a load balancer --------------------------------------------------------------


@pytest.fixture
def production_transport(settings):
    """Production's host and HTTPS rules."""
    settings.ALLOWED_HOSTS = ["learning.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/health/live/", "/health/"])
def test_a_plain_http_probe_by_address_is_answered(client, production_transport, path):
    response = client.get(path, HTTP_HOST="10.0.3.17:8000")
    assert response.status_code == 200
    assert body(response) == "ok\n"
    assert client.head(path, HTTP_HOST="10.0.3.17:8000").status_code == 200


@pytest.mark.django_db
def test_other_pages_keep_the_host_and_https_rules(client, production_transport):
    assert client.get("/", HTTP_HOST="10.0.3.17:8000").status_code == 400
    assert client.get("/health/detail/", HTTP_HOST="10.0.3.17:8000").status_code == 400
    response = client.get("/", HTTP_HOST="learning.example.org")
    assert response.status_code == 301
    assert response["Location"] == "https://learning.example.org/"


PROBE_SCRIPT = """
import django
django.setup()
from django.test import Client
from django.conf import settings
client = Client(HTTP_HOST="10.0.3.17:8000")
print(settings.MIDDLEWARE[0])
for path in ("/health/live/", "/health/"):
    response = client.get(path)
    print(path, response.status_code, response.content.decode().strip())
"""


def test_production_settings_answer_a_plain_http_probe_by_address(tmp_path):
    """The real production settings (HTTPS redirect, ALLOWED_HOSTS), in a fresh process
    whose database has no tables: /health/ answers "failing", never a 400 or a redirect.
    (Other pages need collectstatic's manifest under these settings; their host and HTTPS
    rules are tested in process above.)"""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "SECURE_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="learning.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        PRIVATE_ROOT=str(tmp_path / "private"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
        [sys.executable, "-c", PROBE_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "core.health.HealthProbeMiddleware",
        "/health/live/ 200 ok",
        "/health/ 503 failing",
    ], result.stderr
