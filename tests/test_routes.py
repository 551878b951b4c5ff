"""Every URL the project registers answers a plain GET and an empty POST without a server
error, for each role that may use it.

This is the hostile-input walk (tests/test_hostile_input.py) without its hostile payloads:
a few hundred requests rather than ten thousand. It runs on SQLite only (`sqlite_only`), so
that a page whose queries only PostgreSQL can run fails the embedded database of `make run`
here. On PostgreSQL the walk itself sends these same requests, as the first of its own for
each route and role (`test_the_walk_sends_the_plain_requests_first`).
"""

import pytest

from tests.test_hostile_input import KNOWN, ROUTES, World, probe


@pytest.mark.django_db
@pytest.mark.sqlite_only
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
