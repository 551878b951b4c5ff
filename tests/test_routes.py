"""Every URL the project registers answers a plain GET and an empty POST without a server
error, for each role that may use it.

This is the hostile-input walk (tests/test_hostile_input.py) without its hostile payloads:
a few hundred requests rather than ten thousand. The walk runs on PostgreSQL; this runs on
SQLite too (tests/conftest.py `SQLITE_TOO`), so that a page whose queries only PostgreSQL
can run fails the embedded database of `make run` here.
"""

import pytest

from tests.test_hostile_input import KNOWN, ROUTES, World, probe


@pytest.mark.django_db
def test_every_route_answers_a_plain_request_without_a_server_error():
    world = World()
    visited: set[str] = set()
    failures = []
    for route, (name, segments) in ROUTES:
        failures += probe(world, route, name, segments, visited, hostile=False)

    assert visited == {route for route, _ in ROUTES}
    assert len(visited) > 300
    unknown = [text for key, text in failures if key not in KNOWN]
    assert not unknown, f"{len(unknown)} server errors:\n" + "\n".join(unknown)
