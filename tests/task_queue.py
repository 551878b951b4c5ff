"""The database task queue (django-tasks-db) in tests: queue for real, then run the worker.

`database_queue` switches the default task backend to the database one for a test, as
production configures it; `run_worker()` runs `manage.py db_worker --batch`, which runs
every task that is due and exits.

The worker calls `close_old_connections()` between tasks. Inside a test's transaction
that would close the connection the test is using, so it is a no-op here; everything else
(locking, claiming, recording results) runs as in production.
"""

import io

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_queue(settings, monkeypatch):
    settings.TASKS = DATABASE_TASKS
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker() -> str:
    out = io.StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=out)
    return out.getvalue()


def queued(task_path: str | None = None):
    """Task results waiting to run (optionally of one task, by its dotted path)."""
    results = DBTaskResult.objects.filter(status="READY")
    if task_path:
        results = results.filter(task_path=task_path)
    return results


def task_paths(status: str) -> list[str]:
    return sorted(DBTaskResult.objects.filter(status=status).values_list("task_path", flat=True))
