import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client, TransactionTestCase
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

from home.services import site_ensure_home
from tests.factories import (
    DEFAULT_PASSWORD,
    OrganisationFactory,
    UserFactory,
    home_page_ensure,
)

TESTS = Path(__file__).resolve().parent


# Runs before pytest-django's own hook (both are `tryfirst`; a conftest's hooks are called
# before a plugin's), whose stable sort then keeps the order set here within each of its
# groups: database tests, then those that commit for real, then those without a database.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark tests by where they live, so that `make test` can choose each phase by marker,
    and hand out the long ones first.

    - `browser`: everything under tests/browser/ (Playwright and Chromium). `make test` runs
      these once, on PostgreSQL, the production database.
    - `bench`: the smoke tests of bench/ (tests/test_bench*.py). The scripts always build
      their own throwaway SQLite database, whatever DATABASE_URL says, so `make test` runs
      them once, in the SQLite phase.
    - `database_free`: tests that cannot touch the database: no `django_db` mark, no
      database fixture (directly or through other fixtures) and no Django `TestCase`.
      pytest-django refuses them any query, so their outcome cannot depend on which
      database is configured, and `make test` runs them once, in the SQLite phase.
    - `sqlite_too`: database tests that `make test` runs on SQLite as well as on
      PostgreSQL, because their outcome can differ there (see `SQLITE_TOO`).
    - `sqlite_only` (set in the test file): a database test that `make test` runs on
      SQLite only, because a PostgreSQL test already sends the same requests.
    """
    outside = []
    for item in items:
        path = Path(item.path)
        if TESTS / "browser" in path.parents:
            item.add_marker(pytest.mark.browser)
        elif "browser_name" in getattr(item, "fixturenames", ()) and not item.get_closest_marker(
            "browser"
        ):
            outside.append(item.nodeid)
        if path.parent == TESTS and path.name.startswith("test_bench"):
            item.add_marker(pytest.mark.bench)
        if uses_no_database(item):
            item.add_marker(pytest.mark.database_free)
        elif runs_on_sqlite_too(item, path):
            item.add_marker(pytest.mark.sqlite_too)
    # pytest-xdist hands tests out in this order, a few at a time: long tests left to the
    # end would keep one process busy while the other has finished.
    items.sort(key=lambda item: not runs_long(item))
    if outside:
        # pytest-playwright takes any argument named like its fixtures (`page`, `context`,
        # `browser`) for its own, runs the test under Chromium and regroups it among the
        # browser tests, whose real commits then empty the database for the tests after.
        raise pytest.UsageError(
            "Playwright fixtures outside tests/browser/ (rename the argument, or mark the "
            "test `browser`): " + ", ".join(outside[:5])
        )


# Modules whose tests take seconds each (the route walk's shards, the demo's seeding, the
# bench scripts, a backup restored into a new database); so do the browser tests. Each
# test process starts on these, leaving short tests for the end of the run. A module
# moves whole, so that a module-scoped world is still built once per process.
LONG = {
    "test_hostile_input.py",
    "test_routes.py",
    "test_demo.py",
    "test_backup.py",
    "test_bench.py",
    "test_bench_assessments.py",
    "test_bench_cohorts.py",
    "test_bench_notifications.py",
    "assessments/test_composites.py",
    "learning_sets/test_permission_matrix_admin.py",
}


def runs_long(item) -> bool:
    path = Path(item.path)
    return TESTS / "browser" in path.parents or path.relative_to(TESTS).as_posix() in LONG


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


# Every test that uses a database runs on PostgreSQL, the production database. These also
# run on SQLite, the embedded database of `make run`, because what they exercise differs
# there; so does every test that commits for real (`transaction=True`), since those test
# locking and concurrent requests, which SQLite does with one writer at a time.
SQLITE_TOO = {
    # Code that branches on the database, or database functions and cursors that Django
    # writes differently for each: date truncation and arithmetic, casts and JSON keys,
    # streaming iterators, JSON fields, and case-insensitive matching (SQLite's LOWER and
    # LIKE fold ASCII letters only).
    "cohorts/test_dashboard.py",
    "cohorts/test_grid.py",
    "cohorts/test_exports.py",
    "cohorts/test_invitations.py",
    "core/test_audit.py",
    "core/test_task_reports.py",
    "accounts/test_privacy_erasure.py",
    "accounts/test_privacy_export.py",
    "accounts/test_organisation_admin.py",
    "accounts/test_registration.py",
    "accounts/test_services.py",
    "assessments/test_admin.py",
    "modules/test_lesson_answers.py",
    "notifications/test_reminders.py",
    "notifications/test_coming_up.py",
    # `make run`'s own path: the demo content and accounts it seeds.
    "test_demo.py",
    "home/test_seed_demo.py",
    "modules/test_demo_content.py",
    # Each phase checks that it runs on the database it names.
    "test_infrastructure.py",
}


def runs_on_sqlite_too(item, path: Path) -> bool:
    if path.relative_to(TESTS).as_posix() in SQLITE_TOO:
        return True
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in getattr(item, "fixturenames", ()) or bool(
        marker and marker.kwargs.get("transaction")
    )


def uses_no_database(item) -> bool:
    if item.get_closest_marker("django_db") is not None:
        return False
    if DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return False
    test_class = getattr(item, "cls", None)
    return not (test_class is not None and issubclass(test_class, TransactionTestCase))


@pytest.fixture
def home_page(db):
    return home_page_ensure()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def learner(db, organisation):
    return UserFactory(organisation=organisation)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture(scope="session")
def bench_migrated_database(tmp_path_factory) -> Path:
    """One SQLite file with every migration applied, for the bench scripts to copy: the
    test run's own template when `make test-sqlite` made one (lms/settings/test.py)."""
    template = settings.DATABASES["default"].get("TEST", {}).get("TEMPLATE")
    if settings.DATABASES["default"]["ENGINE"] == "tests.sqlite_template" and template:
        return Path(template)
    database = tmp_path_factory.mktemp("bench") / "migrated.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    subprocess.run(  # noqa: S603 (our own manage.py, run by this interpreter)
        [sys.executable, str(TESTS.parent / "manage.py"), "migrate", "--noinput", "-v0"],
        env=environment,
        check=True,
        timeout=600,
    )
    return database


@pytest.fixture(autouse=True)
def bench_starts_from_a_migrated_database(request, monkeypatch):
    """The bench smoke tests' scripts copy one migrated database (see bench/lesson_page.py's
    `django_setup`) rather than each migrating its own."""
    if request.node.get_closest_marker("bench") is None:
        return
    database = request.getfixturevalue("bench_migrated_database")
    monkeypatch.setenv("BENCH_MIGRATED_DATABASE", str(database))


@pytest.fixture(autouse=True)
def clear_cache():
    """allauth's rate limits live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()


def run_on_commit_since(start: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run the on-commit callbacks registered since `start` (and any they register), then
    forget them, as a real commit would."""
    connection = connections[using]
    while len(connection.run_on_commit) > start:
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, robust in pending:
            if not robust:
                callback()
                continue
            try:
                callback()
            except Exception:
                logging.getLogger(__name__).exception("on_commit callback failed")


@pytest.fixture
def mailoutbox(mailoutbox, monkeypatch):
    """pytest-django's outbox, with each test-client request committing as it does on the
    site.

    Every email leaves through `transaction.on_commit` (`core.mail`), and a database test
    runs inside one transaction that never commits. So the callbacks a request registered
    run when it answers, as the request's own commit would run them, and are then
    forgotten. Anything done outside a request (a service called directly) still waits for
    `django_capture_on_commit_callbacks`.
    """
    original = Client.request

    def request(self, **kwargs):
        start = len(connections[DEFAULT_DB_ALIAS].run_on_commit)
        response = original(self, **kwargs)
        run_on_commit_since(start)
        return response

    monkeypatch.setattr(Client, "request", request)
    return mailoutbox


def wagtail_root_ensure() -> Page:
    """Wagtail's root page and default locale, as its migrations create them."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _created = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@pytest.fixture
def site_home(transactional_db):
    """The site's home page, for tests that run against the live server.

    Those tests commit for real, so Django empties every table after each one, including
    the rows that migrations wrote (Wagtail's root page and locale). This puts back what
    the site needs and builds the home page, as the rest of the suite does.

    (`serialized_rollback=True` would be the stock answer, but it is unreliable here: once
    Playwright's event loop is running, the test sees a different connection object from
    the one that holds the serialized data, so nothing is restored when other database
    tests ran first.)
    """
    wagtail_root_ensure()
    return site_ensure_home(title="Lead and learn together", introduction="Modules for everyone.")
