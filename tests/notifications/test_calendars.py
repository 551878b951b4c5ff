"""Learners' calendar files and their personal feed: who may download what, what the files
say (and never say), the feed's secret address and its reset, and UK times across the clock
changes. Files are read back with the `icalendar` library."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from notifications import calendar_services
from notifications.models import Preferences
from tests.factories import UserFactory

from .conftest_calendars import (
    LONDON,
    PRIVATE_WORDS,
    build_world,
    commitment,
    events,
    feed_token,
    meeting_at,
    reflection,
    summaries,
)

pytestmark = pytest.mark.django_db
CALENDAR_PAGE = "/notifications/calendar/"


@pytest.fixture
def world(db):
    return build_world()


def commitment_url(entry) -> str:
    return reverse("notifications:commitment_ics", args=[entry.pk])


def cohort_url(cohort) -> str:
    return reverse("notifications:cohort_ics", args=[cohort.pk])


def feed_url(token: str) -> str:
    return reverse("notifications:calendar_feed", args=[token])


# One commitment's due date ------------------------------------------------------------------


def test_the_owner_downloads_a_commitments_due_date_as_an_all_day_event(client, world):
    client.force_login(world.owner)

    response = client.get(commitment_url(world.mine))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="action-commitment-{world.mine.due_on:%Y-%m-%d}.ics"'
    )
    assert "no-store" in response["Cache-Control"]
    [event] = events(response.content)
    assert event.decoded("DTSTART") == world.mine.due_on  # a date: all day
    assert event.decoded("DTEND") == world.mine.due_on + datetime.timedelta(days=1)
    assert str(event["SUMMARY"]) == (
        "Action commitment due (from Leading beyond your organisation)"
    )
    assert str(event["URL"]) == "http://testserver/learn/journal/"
    # What the learner committed to stays in their journal, out of any calendar.
    assert PRIVATE_WORDS.encode() not in response.content


def test_nobody_else_downloads_a_commitment_and_guessed_ids_are_not_found(client, world):
    client.force_login(world.owner)
    undated = commitment(world.owner, due_in_days=None)
    private = reflection(world.owner)

    assert client.get(commitment_url(world.theirs)).status_code == 404
    assert client.get(commitment_url(undated)).status_code == 404
    assert client.get(commitment_url(private)).status_code == 404
    assert client.get("/notifications/calendar/commitments/999999.ics").status_code == 404
    assert client.get(f"/notifications/calendar/commitments/{'9' * 20}.ics").status_code == 404
    assert client.get("/notifications/calendar/commitments/-1.ics").status_code == 404
    # The other way round too: the fellow member cannot read the owner's.
    client.force_login(world.fellow)
    assert client.get(commitment_url(world.mine)).status_code == 404


def test_calendar_files_ask_to_sign_in_and_for_a_confirmed_address(client, world):
    response = client.get(commitment_url(world.mine))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    unconfirmed = UserFactory(verified=False)
    client.force_login(unconfirmed)
    response = client.get(CALENDAR_PAGE)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")


# A cohort's start and end -------------------------------------------------------------------


def test_a_member_downloads_their_cohorts_start_and_end(client, world):
    client.force_login(world.owner)

    response = client.get(cohort_url(world.cohort))

    assert response.status_code == 200
    start, end = events(response.content)
    assert str(start["SUMMARY"]) == "Leading across Northfield starts"
    assert start.decoded("DTSTART") == world.cohort.start_date
    assert str(end["SUMMARY"]) == "Leading across Northfield ends"
    assert end.decoded("DTSTART") == world.cohort.end_date
    assert b"Tom" not in response.content  # the lead is not named


def test_only_members_download_a_cohorts_dates(client, world):
    for person in (world.outsider, world.lead, world.admin, world.editor):
        client.force_login(person)
        assert client.get(cohort_url(world.cohort)).status_code == 404, person
    client.force_login(world.owner)
    assert client.get(cohort_url(world.other_cohort)).status_code == 404
    assert client.get(f"/notifications/calendar/cohorts/{'9' * 20}.ics").status_code == 404
    # Someone who left the cohort has no calendar for it any more.
    Membership.objects.filter(cohort=world.cohort, learner=world.owner).delete()
    assert client.get(cohort_url(world.cohort)).status_code == 404


def test_a_cohort_without_dates_has_no_calendar_file(client, world):
    world.cohort.start_date = world.cohort.end_date = None
    world.cohort.save()
    client.force_login(world.owner)

    assert client.get(cohort_url(world.cohort)).status_code == 404


# The personal feed --------------------------------------------------------------------------


def test_the_calendar_page_offers_a_feed_without_creating_one(client, world):
    client.force_login(world.owner)

    response = client.get(CALENDAR_PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Get my feed address" in html
    assert commitment_url(world.mine) in html
    assert cohort_url(world.cohort) in html
    assert not Preferences.objects.filter(person=world.owner).exists()  # a read never writes


def test_asking_for_the_feed_creates_the_preferences_row_once(client, world):
    client.force_login(world.owner)

    first = client.post(reverse("notifications:calendar_feed_open"), {"next": CALENDAR_PAGE})
    second = client.post(reverse("notifications:calendar_feed_open"), {"next": CALENDAR_PAGE})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == CALENDAR_PAGE
    preferences = Preferences.objects.get(person=world.owner)
    assert preferences.nudge and not preferences.lead_digest  # the defaults, unchanged
    page = client.get(CALENDAR_PAGE).content.decode()
    assert f"http://testserver{feed_url(preferences.calendar_token)}" in page
    assert "Get a new feed address" in page


def test_opening_the_feed_twice_at_once_leaves_one_row(world):
    one = calendar_services.calendar_feed_open(person=world.owner)
    two = calendar_services.calendar_feed_open(person=world.owner)

    assert one.pk == two.pk
    assert Preferences.objects.filter(person=world.owner).count() == 1


def test_the_feed_holds_the_persons_dates_and_nothing_of_anyone_else(client, world):
    token = feed_token(world.owner)
    fellow_token = feed_token(world.fellow)

    response = client.get(feed_url(token))  # no sign-in

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="my-learning.ics"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert sorted(summaries(response.content)) == [
        "Action commitment due (from Leading beyond your organisation)",
        "Action learning set meeting: Riverside set",
        "Leading across Northfield ends",
        "Leading across Northfield starts",
    ]
    body = response.content
    for secret in (PRIVATE_WORDS, "Ben", "Okafor", "Amira", "Khan", "Tom", fellow_token):
        assert secret.encode() not in body, secret
    meeting = next(e for e in events(body) if "meeting" in str(e["SUMMARY"]))
    assert str(meeting["UID"]) == str(world.meeting.uid)  # the set feed's own event


def test_the_feed_leaves_out_sets_whose_ground_rules_are_not_accepted(client, world):
    world.learning_set.members.filter(learner=world.owner).update(ground_rules_accepted_at=None)

    body = client.get(feed_url(feed_token(world.owner))).content

    assert "Action learning set meeting: Riverside set" not in summaries(body)


def test_unknown_malformed_and_inactive_feeds_are_not_found(client, world):
    token = feed_token(world.owner)

    assert client.get(feed_url("A" * 43)).status_code == 404
    assert client.get(feed_url("short")).status_code == 404
    assert client.get("/notifications/calendar/" + "A" * 100 + ".ics").status_code == 404
    assert client.get(feed_url(token[:-1] + ("A" if token[-1] != "A" else "B"))).status_code == 404
    world.owner.is_active = False
    world.owner.save()
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_costs_the_same_queries_for_few_or_many_dates(client, world):
    token = feed_token(world.owner)
    counts = []
    for extra in (0, 12):
        for number in range(extra):
            commitment(world.owner, due_in_days=number)
            meeting_at(world.learning_set, timezone.now() + datetime.timedelta(days=number + 1))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(feed_url(token)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4, counts


# Resetting the feed's address ---------------------------------------------------------------


def reset(client, current: str, **extra):
    return client.post(reverse("notifications:calendar_feed_reset"), {"current": current, **extra})


def test_resetting_revokes_the_old_address(client, world):
    old = feed_token(world.owner)
    client.force_login(world.owner)

    response = reset(client, old, next=CALENDAR_PAGE)

    assert response.status_code == 302
    assert response["Location"] == CALENDAR_PAGE
    new = Preferences.objects.get(person=world.owner).calendar_token
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_a_second_press_of_the_same_reset_changes_nothing(client, world):
    old = feed_token(world.owner)
    client.force_login(world.owner)
    reset(client, old)
    new = Preferences.objects.get(person=world.owner).calendar_token

    reset(client, old)  # a double click sends the same form again

    assert Preferences.objects.get(person=world.owner).calendar_token == new


def test_nobody_resets_someone_elses_feed(client, world):
    fellow_token = feed_token(world.fellow)
    own = feed_token(world.owner)
    client.force_login(world.owner)

    reset(client, fellow_token)

    assert Preferences.objects.get(person=world.fellow).calendar_token == fellow_token
    assert Preferences.objects.get(person=world.owner).calendar_token == own
    client.logout()
    response = reset(client, fellow_token)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Preferences.objects.get(person=world.fellow).calendar_token == fellow_token


def test_reset_and_open_take_only_posts(client, world):
    client.force_login(world.owner)

    assert client.get(reverse("notifications:calendar_feed_reset")).status_code == 405
    assert client.get(reverse("notifications:calendar_feed_open")).status_code == 405
    assert not Preferences.objects.filter(person=world.owner).exists()


def test_a_reset_never_sends_people_to_another_site(client, world):
    old = feed_token(world.owner)
    client.force_login(world.owner)

    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)", ""):
        response = reset(
            client, Preferences.objects.get(person=world.owner).calendar_token, next=target
        )
        assert response["Location"] == CALENDAR_PAGE, target
    assert Preferences.objects.get(person=world.owner).calendar_token != old


# Times across the clock changes -------------------------------------------------------------

# The last Sunday of March (clocks go forward) and of October (clocks go back), 2026 and 2027,
# with the day before each, and the hour in UTC that 10am on UK clocks is on that day.
CLOCK_CHANGE_DAYS = [
    (datetime.date(2026, 3, 28), 10),  # GMT
    (datetime.date(2026, 3, 29), 9),  # BST from 1am
    (datetime.date(2026, 10, 24), 9),  # BST
    (datetime.date(2026, 10, 25), 10),  # GMT from 2am BST
    (datetime.date(2027, 3, 27), 10),
    (datetime.date(2027, 3, 28), 9),
    (datetime.date(2027, 10, 30), 9),
    (datetime.date(2027, 10, 31), 10),
]


@pytest.mark.parametrize(("day", "utc_hour"), CLOCK_CHANGE_DAYS, ids=lambda value: str(value))
def test_a_10am_meeting_is_10am_uk_time_in_the_feed(client, world, day, utc_hour):
    ten = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=LONDON)
    assert ten.astimezone(datetime.UTC).hour == utc_hour  # the day really is on that side
    meeting = meeting_at(world.learning_set, ten.astimezone(datetime.UTC))
    token = feed_token(world.owner)
    # The feed reaches back 90 days: read it as on the day before the meeting.
    the_day_before = ten.astimezone(datetime.UTC) - datetime.timedelta(days=1)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.utils.timezone.now", lambda: the_day_before)
        body = client.get(feed_url(token)).content

    assert f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T100000".encode() in body
    [event] = [e for e in events(body) if str(e["UID"]) == str(meeting.uid)]
    start = event.decoded("DTSTART")
    assert start == ten
    assert start.astimezone(LONDON).hour == 10
    assert start.astimezone(datetime.UTC).hour == utc_hour


def test_the_calendar_page_costs_the_same_queries_for_few_or_many_dates(client, world):
    """Session, user, confirmed address, the commitments, the cohorts, the feed's secret and
    the page furniture, whatever the number of commitments and cohorts."""
    client.force_login(world.owner)
    feed_token(world.owner)
    counts = []
    for extra in (0, 12):
        for number in range(extra):
            commitment(world.owner, due_in_days=number)
        # Warm the caches the new pages made stale (site settings, confirmed address).
        client.get(CALENDAR_PAGE)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(CALENDAR_PAGE)
        assert response.status_code == 200
        assert response.content.decode().count("/notifications/calendar/commitments/") == extra + 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
