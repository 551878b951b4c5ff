"""Hostile input on the calendar URLs, with real ids and a real feed: NUL bytes, 100 KB,
bytes that are not UTF-8, 20-digit and negative ids, and dates in the year 9999. No answer
is a server error, and nothing changes but what the owner asked for."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Preferences

from .conftest_calendars import build_world, commitment, events, feed_token

pytestmark = pytest.mark.django_db
BIG = "x" * 100_000
TWENTY = "9" * 20


@pytest.fixture
def world(db):
    world = build_world()
    world.token = feed_token(world.owner)
    return world


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code}"


def test_hostile_paths_are_not_found(client, world):
    client.force_login(world.owner)
    paths = [
        "/notifications/calendar/%00.ics",
        f"/notifications/calendar/{world.token}%00.ics",
        f"/notifications/calendar/{BIG}.ics",
        "/notifications/calendar/%FF%FE%C3%28.ics",
        f"/notifications/calendar/commitments/{TWENTY}.ics",
        "/notifications/calendar/commitments/-1.ics",
        "/notifications/calendar/commitments/0.ics",
        "/notifications/calendar/commitments/%00.ics",
        f"/notifications/calendar/cohorts/{TWENTY}.ics",
        "/notifications/calendar/cohorts/-1.ics",
        "/notifications/calendar/cohorts/%FF.ics",
    ]
    for path in paths:
        for method in (client.get, client.post):
            response = method(path)
            assert response.status_code in {400, 404, 405}, (path[:80], response.status_code)


def test_hostile_query_strings_change_nothing(client, world):
    client.force_login(world.owner)
    # The project's middleware refuses a NUL byte, 100 KB or bytes that are not UTF-8 in a
    # query string (400) for every URL; the views ignore the rest.
    queries = [
        ("?next=%00", 400),
        (f"?next={BIG}", 400),
        ("?current=%FF%FE", 400),
        ("?year=9999", 200),
        (f"?id={TWENTY}", 200),
    ]
    for query, expected in queries:
        for name, args in (
            ("calendar", []),
            ("commitment_ics", [world.mine.pk]),
            ("cohort_ics", [world.cohort.pk]),
            ("calendar_feed", [world.token]),
        ):
            response = client.get(reverse(f"notifications:{name}", args=args) + query)
            assert response.status_code == expected, (name, query[:40], response.status_code)
    assert Preferences.objects.get(person=world.owner).calendar_token == world.token


@pytest.mark.parametrize(
    "fields",
    [
        {"current": "\x00"},
        {"current": BIG},
        {"current": TWENTY},
        {"current": "9999-12-31"},
        {"current": ""},
        {},
        {"next": "\x00"},
        {"next": BIG},
        {"next": "https://evil.example/"},
        {"current": ["one", "two"]},
    ],
    ids=lambda fields: ",".join(f"{k}={str(v)[:12]!r}" for k, v in fields.items()) or "empty",
)
def test_hostile_posts_change_nothing(client, world, fields):
    client.force_login(world.owner)
    for name in ("calendar_feed_reset", "calendar_feed_open"):
        response = client.post(reverse(f"notifications:{name}"), fields)
        assert_no_server_error(response, name)
        if response.status_code == 302:
            assert response["Location"].startswith("/"), response["Location"]
            assert not response["Location"].startswith("//")
    assert Preferences.objects.get(person=world.owner).calendar_token == world.token
    assert Preferences.objects.filter(person=world.owner).count() == 1


def test_bytes_that_are_not_utf8_and_json_bodies(client, world):
    client.force_login(world.owner)
    url = reverse("notifications:calendar_feed_reset")
    for body, content_type in (
        (b"current=\xff\xfe\xc3\x28", "application/x-www-form-urlencoded"),
        (b'{"current": "x"}', "application/json"),
        (b"\xff\xfe", "text/plain"),
    ):
        assert_no_server_error(client.post(url, body, content_type=content_type), content_type)
    assert Preferences.objects.get(person=world.owner).calendar_token == world.token


def test_dates_in_the_year_9999_still_make_calendars(client, world):
    far = commitment(world.owner, due_in_days=None)
    far.due_on = datetime.date(9999, 12, 31)
    far.save()
    world.cohort.end_date = datetime.date(9999, 12, 31)
    world.cohort.save()
    client.force_login(world.owner)

    download = client.get(reverse("notifications:commitment_ics", args=[far.pk]))
    cohort = client.get(reverse("notifications:cohort_ics", args=[world.cohort.pk]))
    feed = client.get(reverse("notifications:calendar_feed", args=[world.token]))
    page = client.get(reverse("notifications:calendar"))
    panel = client.get("/learn/")

    for response in (download, cohort, feed, page, panel):
        assert response.status_code == 200
    [event] = events(download.content)
    assert event.decoded("DTSTART") == datetime.date(9999, 12, 31)
    assert "DTEND" not in event
