"""Test data built once per test module rather than once per test, as Django's
`TestCase.setUpTestData` does for a class.

`module_world(build)` makes a module-scoped fixture whose value is what `build()` returns.
`build()` runs once per test module in each test process, inside a transaction that is
rolled back after the module's last test there. Each test still runs inside its own
savepoint within it (pytest-django's `db`), so a test's writes are undone before the next
test starts, and every test finds the world's rows as they were built.

Only for tests that use `db`: a test that commits for real (`transactional_db`, the live
server) cannot run inside the outer transaction, and the fixture refuses to build for a
module where one asks for it. A test that changes one of the world's
Python objects should take a copy first (`copy.deepcopy`, as setUpTestData does), so that
the change cannot leak into the next test; the fixture of each module says which it does.
"""

from collections.abc import Callable
from typing import TypeVar

import pytest
from django.db import transaction

World = TypeVar("World")


def module_world(build: Callable[[], World]):
    """A module-scoped fixture of `build()`'s world (see the module's docstring)."""

    @pytest.fixture(scope="module")
    def fixture(request, django_db_setup, django_db_blocker):
        committing = committing_tests(request.session.items, request.module, request.fixturename)
        if committing:
            raise pytest.UsageError(
                f"{request.fixturename} is built in a transaction that is rolled back, which "
                "tests that commit for real cannot run inside: " + ", ".join(committing)
            )
        outer = transaction.atomic()
        # The database is open only while the world is built and rolled back, not in
        # between: a test in the module that asks for no database still gets none.
        with django_db_blocker.unblock():
            outer.__enter__()
            try:
                world = build()
            except BaseException as error:
                outer.__exit__(type(error), error, error.__traceback__)
                raise
        try:
            yield world
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return fixture


def committing_tests(items, module, fixture_name: str) -> list[str]:
    """The tests of `module` that ask for the fixture `fixture_name` and commit for real
    (`transactional_db`, the live server, or `django_db(transaction=True)`)."""
    found = []
    for item in items:
        names = getattr(item, "fixturenames", ())
        if getattr(item, "module", None) is not module or fixture_name not in names:
            continue
        marker = item.get_closest_marker("django_db")
        if (
            "transactional_db" in names
            or "live_server" in names
            or (marker is not None and marker.kwargs.get("transaction"))
        ):
            found.append(item.nodeid)
    return found
