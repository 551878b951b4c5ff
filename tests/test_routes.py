"""Every URL the project registers answers a plain GET and an empty POST without a server
error, for each role that may use it.

This is the first pass of the hostile-input walk (tests/test_hostile_input.py) without its
hostile payloads: a few hundred requests rather than ten thousand. The walk runs on
PostgreSQL; this runs on SQLite too (tests/conftest.py `SQLITE_TOO`), so that a page whose
queries only PostgreSQL can run fails the embedded database of `make run` here.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.test_hostile_input import KNOWN, ROUTES, World, failure, roles_for, send, urls_for


@pytest.mark.django_db
def test_every_route_answers_a_plain_request_without_a_server_error():
    world = World()
    visited = set()
    failures = []
    for route, (name, segments) in ROUTES:
        for role in roles_for(route):
            user = world.users()[role]
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            for url in urls_for(world, route, name, segments):
                cache.clear()  # sign-in rate limits would hide what comes after them
                visited.add(route)
                for method, body, content_type in (
                    ("GET", b"", None),
                    ("POST", b"", "application/x-www-form-urlencoded"),
                ):
                    response = send(client, method, url, body, content_type)
                    if response.status_code >= 500:
                        failures.append(failure(route, role, method, url, response))

    assert visited == {route for route, _ in ROUTES}
    assert len(visited) > 300
    unknown = [text for key, text in failures if key not in KNOWN]
    assert not unknown, f"{len(unknown)} server errors:\n" + "\n".join(unknown)
