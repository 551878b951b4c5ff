"""Calendar files: a meeting's .ics download and each set's private feed. Both are read back
with the `icalendar` library, and the times checked on both of the UK's clock-change days.
"""

import datetime
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from learning_sets.calendars import clock, london_timezone
from learning_sets.models import Meeting, SetMember

from .conftest_member import build_world

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def set_world(db):
    return build_world()


def ics_url(world, meeting):
    return reverse("learning_sets:meeting_ics", args=[world.learning_set.pk, meeting.pk])


def feed_url(learning_set):
    return reverse("learning_sets:feed", args=[learning_set.feed_token])


def events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def test_a_meetings_ics_download(client, set_world):
    client.force_login(set_world.people["set member"])
    upcoming = set_world.upcoming
    upcoming.sequence = 3
    upcoming.save()

    response = client.get(ics_url(set_world, upcoming))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="set-meeting-')
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    [event] = events(response.content)
    assert event["UID"] == str(upcoming.uid)
    assert event["SEQUENCE"] == 3
    assert event.decoded("DTSTART") == upcoming.starts_at
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert event.decoded("DURATION") == datetime.timedelta(minutes=120)
    assert event["LOCATION"] == "Room 2, Riverside Health Centre"
    assert event["URL"] == "https://meet.example.org/riverside"
    assert event["SUMMARY"] == "Action learning set meeting: Riverside set"


def test_calendar_files_hold_no_names_or_text(client, set_world):
    SetMember.objects.update(challenge="A very private challenge")
    client.force_login(set_world.people["set member"])
    bodies = [
        client.get(ics_url(set_world, set_world.past)).content.decode(),
        client.get(feed_url(set_world.learning_set)).content.decode(),
    ]
    for body in bodies:
        for private in ("Amira", "Ben", "Chloe", "Okafor", "private challenge", "discharge"):
            assert private not in body


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        # Last Sunday of March 2026: the clocks go forward at 1am.
        ("20260329T003000", (2026, 3, 29, 0, 30)),
        ("20260329T100000", (2026, 3, 29, 9, 0)),
        # Last Sunday of October 2026: the clocks go back at 2am.
        ("20261025T003000", (2026, 10, 24, 23, 30)),
        ("20261025T100000", (2026, 10, 25, 10, 0)),
    ],
)
def test_times_are_right_on_both_clock_change_days(client, set_world, local, utc):
    utc = datetime.datetime(*utc, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=set_world.upcoming.pk).update(starts_at=utc)
    client.force_login(set_world.people["set member"])

    body = client.get(ics_url(set_world, set_world.upcoming)).content
    [event] = events(body)

    assert f"DTSTART;TZID=Europe/London:{local}" in body.decode()
    assert event.decoded("DTSTART") == utc
    # The calendar's own definition of the zone, read by a client that does not know the
    # zone's name, gives the same moment.
    calendar = icalendar.Calendar.from_ical(body)
    [zone] = calendar.walk("VTIMEZONE")
    wall = utc.astimezone(LONDON)
    as_read = datetime.datetime(*wall.timetuple()[:6], tzinfo=zone.to_tz())
    assert as_read.astimezone(datetime.UTC) == utc


def test_the_zone_definition_follows_the_uk_rules_for_years_ahead():
    zone = london_timezone().to_tz()
    for year in range(2026, 2040):
        for day in range(1, 32):
            for month in (3, 10):
                ours = datetime.datetime(year, month, day, 12, 0, tzinfo=zone)
                theirs = datetime.datetime(year, month, day, 12, 0, tzinfo=LONDON)
                assert ours.utcoffset() == theirs.utcoffset(), theirs


def test_the_feed_needs_no_sign_in_and_lists_the_sets_meetings_only(client, set_world):
    response = client.get(feed_url(set_world.learning_set))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    uids = {event["UID"] for event in events(response.content)}
    assert uids == {str(set_world.past.uid), str(set_world.upcoming.uid)}
    assert str(set_world.far_meeting.uid) not in response.content.decode()


@pytest.mark.parametrize(
    "token", ["x" * 43, "short", "a" * 65, "%00" + "a" * 40, "9" * 20, "..%2F..%2Fetc"]
)
def test_an_unknown_or_malformed_token_is_not_found(client, set_world, token):
    # A NUL byte is refused before routing (400); anything else is simply not found.
    assert client.get(f"/sets/feed/{token}.ics").status_code == (400 if "%00" in token else 404)


def test_the_facilitator_resets_the_feed_and_the_old_address_stops_working(client, set_world):
    old = feed_url(set_world.learning_set)
    client.force_login(set_world.people["facilitator"])

    assert (
        client.get(
            reverse("learning_sets:feed_reset", args=[set_world.learning_set.pk])
        ).status_code
        == 405
    )
    response = client.post(reverse("learning_sets:feed_reset", args=[set_world.learning_set.pk]))

    assert response.status_code == 302
    set_world.learning_set.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(set_world.learning_set)).status_code == 200


@pytest.mark.parametrize(
    "role", ["set member", "cohort member not in the set", "lead of another cohort"]
)
def test_only_the_facilitator_or_a_lead_may_reset_the_feed(client, set_world, role):
    token = set_world.learning_set.feed_token
    client.force_login(set_world.people[role])
    response = client.post(reverse("learning_sets:feed_reset", args=[set_world.learning_set.pk]))
    assert response.status_code == 404
    set_world.learning_set.refresh_from_db()
    assert set_world.learning_set.feed_token == token


def test_the_set_page_shows_members_the_feed_address(client, set_world):
    client.force_login(set_world.people["set member"])
    page = client.get(reverse("learning_sets:set", args=[set_world.learning_set.pk]))
    assert set_world.learning_set.feed_token in page.content.decode()
    assert "Give the feed a new address" not in page.content.decode()


@pytest.mark.parametrize(
    ("hour", "minute", "shown"),
    [(0, 0, "12am"), (9, 30, "9:30am"), (12, 0, "12pm"), (14, 0, "2pm"), (23, 5, "11:05pm")],
)
def test_times_are_written_in_the_nhs_style(hour, minute, shown):
    assert clock(datetime.time(hour, minute)) == shown
