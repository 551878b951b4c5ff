"""Calendar files (RFC 5545, written with the `icalendar` library), knowing no domain.

The pieces every calendar of the site shares: a published calendar with our PRODID and the
Europe/London time zone's definition, an all-day event (a date), a timed event (a moment,
written in Europe/London so that a 10am meeting stays 10am across the clock changes), and
the responses that hand a calendar out as a file to download or as a feed to subscribe to.
The apps decide what goes in their events; nothing here reads the database.
"""

import datetime
import zoneinfo

from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

LONDON = zoneinfo.ZoneInfo("Europe/London")
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


def new_calendar(prodid: str, *, name: str = "") -> Calendar:
    """An empty published calendar (METHOD:PUBLISH) holding the Europe/London zone; `name`
    is what a subscribed calendar shows as its title."""
    calendar = Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_timezone())
    return calendar


def stamp_now() -> datetime.datetime:
    """The DTSTAMP every event of one calendar shares: now, in UTC, to the second."""
    return timezone.now().astimezone(datetime.UTC).replace(microsecond=0)


def all_day_event(
    *, uid: str, day: datetime.date, summary: str, stamp: datetime.datetime, url: str = ""
) -> Event:
    """An event filling one whole day (DTSTART;VALUE=DATE, ending the next day)."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    if day < datetime.date.max:  # without DTEND a date's event lasts the day (RFC 5545)
        event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a date to remember does not make anyone busy
    if url:
        event.add("url", url)
    return event


def timed_event(
    *,
    uid: str,
    starts_at: datetime.datetime,
    duration: datetime.timedelta,
    summary: str,
    stamp: datetime.datetime,
    sequence: int = 0,
    location: str = "",
    url: str = "",
) -> Event:
    """An event at a moment, written in Europe/London time with the zone's id."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", starts_at.astimezone(LONDON))
    event.add("duration", duration)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    return event


def calendar_response(body: bytes, *, filename: str = "", private: bool = False) -> HttpResponse:
    """A calendar to download (`filename`) or to show; `private` ones are never stored."""
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def feed_response(body: bytes, *, filename: str) -> HttpResponse:
    """A feed behind a secret address: calendars poll it, nobody on the way stores it, search
    engines do not index it and no link from it tells another site its address."""
    response = calendar_response(body, private=True)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response
