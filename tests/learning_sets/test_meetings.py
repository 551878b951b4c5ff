"""A facilitator schedules, changes and cancels meetings and records attendance. Dates and
times are entered on UK clocks; impossible dates, year 9999 and the hours that the clocks
skip or repeat get a message next to the field, never a server error."""

import datetime

import pytest
from django.urls import reverse

from learning_sets.forms import london_to_utc, parse_time
from learning_sets.models import Attendance, Meeting

from .conftest_member import build_world, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def set_world(db):
    return build_world()


def url(world, name, *args):
    return reverse(f"learning_sets:{name}", args=[world.learning_set.pk, *args])


def form(**changes):
    data = {
        "day": "14",
        "month": "7",
        "year": "2031",
        "time": "2pm",
        "duration_minutes": "150",
        "place": "Committee room, Northfield Town Hall",
        "video_url": "",
    }
    return {**data, **changes}


@pytest.fixture
def facilitator(client, set_world):
    client.force_login(set_world.people["facilitator"])
    return set_world.people["facilitator"]


def new_meetings(world):
    return Meeting.objects.filter(learning_set=world.learning_set).exclude(
        pk__in=[world.past.pk, world.upcoming.pk]
    )


def test_a_facilitator_schedules_a_meeting_in_uk_time(client, set_world, facilitator):
    for _click in range(2):  # a double click schedules one meeting
        response = client.post(url(set_world, "meeting_create"), form())
        assert response.status_code == 302
    [created] = new_meetings(set_world)
    # 2pm British Summer Time is 1pm UTC.
    assert created.starts_at == datetime.datetime(2031, 7, 14, 13, 0, tzinfo=datetime.UTC)
    assert created.duration_minutes == 150
    assert created.created_by == facilitator
    assert created.sequence == 0


def test_a_winter_meeting_is_stored_without_an_hour_added(client, set_world, facilitator):
    client.post(url(set_world, "meeting_create"), form(month="1", time="09:30"))
    [created] = new_meetings(set_world)
    assert created.starts_at == datetime.datetime(2031, 1, 14, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "31", "month": "2"}, "must be a real date"),
        ({"year": "9999"}, "between the years 1900 and 2100"),
        ({"year": "0"}, "must be a real date"),
        ({"day": "", "month": "", "year": ""}, "Enter the date of the meeting."),
        ({"day": "x"}, "must be numbers"),
        ({"time": "25:00"}, "Enter a time like"),
        ({"time": "noonish"}, "Enter a time like"),
        ({"time": ""}, "Enter the time the meeting starts."),
        ({"duration_minutes": "5"}, "at least 15 minutes"),
        ({"duration_minutes": "481"}, "480 minutes"),
        ({"duration_minutes": "9" * 20}, "480 minutes"),
        ({"place": "", "video_url": ""}, "Enter a place or a video link"),
        ({"video_url": "not a link at all"}, "Enter the video link as a web address"),
        ({"place": "x" * 201}, "200 characters or fewer"),
        # The last Sunday of March 2031 is the 30th: clocks go from 1am to 2am.
        ({"day": "30", "month": "3", "time": "1:30am"}, "The clocks go forward on 30 March 2031"),
        # The last Sunday of October 2031 is the 26th: 1am to 2am happens twice.
        ({"day": "26", "month": "10", "time": "1:30am"}, "The clocks go back on 26 October 2031"),
    ],
)
def test_bad_meeting_details_get_a_message_and_change_nothing(
    client, set_world, facilitator, changes, message
):
    response = client.post(url(set_world, "meeting_create"), form(**changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "nhsuk-error-summary" in page
    assert message in page
    assert not new_meetings(set_world).exists()


def test_times_either_side_of_the_clock_changes_are_exact():
    spring = datetime.date(2026, 3, 29)
    autumn = datetime.date(2026, 10, 25)
    assert london_to_utc(spring, datetime.time(0, 30)) == datetime.datetime(
        2026, 3, 29, 0, 30, tzinfo=datetime.UTC
    )
    assert london_to_utc(spring, datetime.time(2, 0)) == datetime.datetime(
        2026, 3, 29, 1, 0, tzinfo=datetime.UTC
    )
    assert london_to_utc(autumn, datetime.time(0, 59)) == datetime.datetime(
        2026, 10, 24, 23, 59, tzinfo=datetime.UTC
    )
    assert london_to_utc(autumn, datetime.time(2, 0)) == datetime.datetime(
        2026, 10, 25, 2, 0, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", datetime.time(14, 30)),
        ("14.30", datetime.time(14, 30)),
        ("2:30pm", datetime.time(14, 30)),
        ("2 PM", datetime.time(14, 0)),
        ("12am", datetime.time(0, 0)),
        ("12pm", datetime.time(12, 0)),
        ("9am", datetime.time(9, 0)),
        ("13pm", None),
        ("24:00", None),
        ("9:60", None),
        ("", None),
    ],
)
def test_times_are_read_as_people_type_them(text, expected):
    assert parse_time(text) == expected


def test_changing_a_meeting_bumps_its_sequence_once_per_real_change(client, set_world, facilitator):
    edit = url(set_world, "meeting_edit", set_world.upcoming.pk)
    page = client.get(edit).content.decode()
    assert 'name="day"' in page and "Riverside Health Centre" in page

    assert client.post(edit, form()).status_code == 302
    upcoming = Meeting.objects.get(pk=set_world.upcoming.pk)
    assert upcoming.sequence == 1
    assert upcoming.starts_at == datetime.datetime(2031, 7, 14, 13, 0, tzinfo=datetime.UTC)
    uid = upcoming.uid

    client.post(edit, form())  # the same again changes nothing
    upcoming.refresh_from_db()
    assert upcoming.sequence == 1
    client.post(edit, form(time="3pm"))
    upcoming.refresh_from_db()
    assert upcoming.sequence == 2
    assert upcoming.uid == uid


def test_a_bad_change_changes_nothing(client, set_world, facilitator):
    before = Meeting.objects.get(pk=set_world.upcoming.pk)
    response = client.post(url(set_world, "meeting_edit", set_world.upcoming.pk), form(year="9999"))
    assert response.status_code == 200
    after = Meeting.objects.get(pk=set_world.upcoming.pk)
    assert (after.starts_at, after.sequence) == (before.starts_at, before.sequence)


def test_an_upcoming_meeting_can_be_cancelled_and_a_past_one_cannot(client, set_world, facilitator):
    assert client.get(url(set_world, "meeting_cancel", set_world.upcoming.pk)).status_code == 200
    assert client.post(url(set_world, "meeting_cancel", set_world.upcoming.pk)).status_code == 302
    assert not Meeting.objects.filter(pk=set_world.upcoming.pk).exists()

    page = client.get(url(set_world, "meeting_cancel", set_world.past.pk)).content.decode()
    assert "cannot be cancelled" in page
    client.post(url(set_world, "meeting_cancel", set_world.past.pk))
    assert Meeting.objects.filter(pk=set_world.past.pk).exists()


def test_another_sets_meeting_is_not_found(client, set_world, facilitator):
    for name in ("meeting_edit", "meeting_cancel", "attendance", "meeting_ics"):
        assert client.get(url(set_world, name, set_world.far_meeting.pk)).status_code == 404
        assert client.post(url(set_world, name, set_world.far_meeting.pk)).status_code in (404, 405)
    assert Meeting.objects.filter(pk=set_world.far_meeting.pk).exists()


def test_attendance_is_recorded_per_member_and_replaced_on_repeat(client, set_world, facilitator):
    people = set_world.people
    attendance = url(set_world, "attendance", set_world.past.pk)
    page = client.get(attendance).content.decode()
    assert "Amira Khan" in page and "Ben Okafor" in page and "Chloe Price" in page

    present = [people["set member"].pk, people["facilitator"].pk]
    assert client.post(attendance, {"present": present}).status_code == 302
    recorded = dict(
        Attendance.objects.filter(meeting=set_world.past).values_list("learner_id", "present")
    )
    assert recorded == {
        people["set member"].pk: True,
        people["facilitator"].pk: True,
        people["fellow member"].pk: False,
    }
    client.post(attendance, {"present": [people["fellow member"].pk]})
    recorded = dict(
        Attendance.objects.filter(meeting=set_world.past).values_list("learner_id", "present")
    )
    assert recorded[people["fellow member"].pk] is True
    assert recorded[people["set member"].pk] is False
    assert Attendance.objects.filter(meeting=set_world.past).count() == 3

    page = client.get(reverse("learning_sets:set", args=[set_world.learning_set.pk]))
    assert "1 member came" in page.content.decode()


def test_attendance_refuses_people_outside_the_set_and_future_meetings(
    client, set_world, facilitator
):
    attendance = url(set_world, "attendance", set_world.past.pk)
    for value in [set_world.people["member of another set"].pk, "x", "9" * 20]:
        response = client.post(attendance, {"present": [value]})
        assert response.status_code == 200
        assert "Choose from the members listed." in response.content.decode()
    assert not Attendance.objects.exists()
    assert client.get(url(set_world, "attendance", set_world.upcoming.pk)).status_code == 404


def test_a_lead_of_the_cohort_may_schedule_and_a_plain_member_may_not(client, set_world):
    client.force_login(set_world.people["lead of the cohort"])
    assert client.post(url(set_world, "meeting_create"), form()).status_code == 302
    client.force_login(set_world.people["set member"])
    assert client.get(url(set_world, "meeting_create")).status_code == 404
    assert client.post(url(set_world, "meeting_create"), form(time="5pm")).status_code == 404
    assert new_meetings(set_world).count() == 1


def test_a_new_meeting_appears_on_the_set_page_and_past_ones_offer_check_in(
    client, set_world, facilitator
):
    meeting(set_world.learning_set, days=-1)
    client.post(url(set_world, "meeting_create"), form())
    page = client.get(reverse("learning_sets:set", args=[set_world.learning_set.pk]))
    assert "Monday 14 July 2031, 2pm" in page.content.decode()
