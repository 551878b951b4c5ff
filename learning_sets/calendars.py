"""Calendar files for set meetings (RFC 5545, written with the `icalendar` library).

A meeting's `.ics` download and a set's private feed hold the same events: the meeting's
stable UID and sequence number (so calendars update an edited meeting rather than add a
second one), its start in Europe/London with the zone's definition, its length, and where
it happens. The summary names the set and nothing else: no names, no challenges, no
commitments, so a calendar shared with colleagues or synced to a phone shows no one's
personal data.
"""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from .models import LearningSet, Meeting

LONDON = zoneinfo.ZoneInfo("Europe/London")
PRODID = "-//Leading Together//Action learning sets//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def clock(moment: datetime.datetime | datetime.time) -> str:
    """A time as the NHS.UK style guide writes it: 9:30am, 2pm, 12pm (midday)."""
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def london_timezone() -> Timezone:
    """Europe/London as the UK has kept it since 1996: British Summer Time from 1am GMT on
    the last Sunday of March to 2am BST (1am GMT) on the last Sunday of October."""
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime.datetime(1970, 3, 29, 1, 0))  # noqa: DTZ001 (local, by design)
    summer.add("tzoffsetfrom", datetime.timedelta(hours=0))
    summer.add("tzoffsetto", datetime.timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime.datetime(1970, 10, 25, 2, 0))  # noqa: DTZ001 (local, by design)
    winter.add("tzoffsetfrom", datetime.timedelta(hours=1))
    winter.add("tzoffsetto", datetime.timedelta(hours=0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def meeting_summary(learning_set: LearningSet) -> str:
    return _("Action learning set meeting: %(name)s") % {"name": learning_set.name}


def meeting_event(meeting: Meeting, learning_set: LearningSet, stamp: datetime.datetime) -> Event:
    event = Event()
    event.add("uid", str(meeting.uid))
    event.add("dtstamp", stamp)
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(LONDON))
    event.add("duration", datetime.timedelta(minutes=meeting.duration_minutes))
    event.add("summary", meeting_summary(learning_set))
    if meeting.place:
        event.add("location", meeting.place)
    if meeting.video_url:
        event.add("url", meeting.video_url)
        if not meeting.place:
            event.add("location", meeting.video_url)
    return event


def calendar_for(
    learning_set: LearningSet, meetings: Iterable[Meeting], *, name: str = ""
) -> bytes:
    """A calendar (METHOD:PUBLISH) of the set's meetings."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_timezone())
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, learning_set, stamp))
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    """One meeting as a file to download and open in a calendar."""
    return calendar_for(meeting.learning_set, [meeting])


def set_feed(learning_set: LearningSet, meetings: Iterable[Meeting]) -> bytes:
    """The set's private feed: all its meetings."""
    return calendar_for(
        learning_set,
        meetings,
        name=_("%(name)s: action learning set") % {"name": learning_set.name},
    )


def meeting_filename(meeting: Meeting) -> str:
    local = meeting.starts_at.astimezone(LONDON)
    return f"set-meeting-{local:%Y-%m-%d}.ics"
