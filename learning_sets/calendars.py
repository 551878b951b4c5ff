"""Calendar files for set meetings (RFC 5545; the generic pieces are in `core.calendars`).

A meeting's `.ics` download and a set's private feed hold the same events: the meeting's
stable UID and sequence number (so calendars update an edited meeting rather than add a
second one), its start in Europe/London with the zone's definition, its length, and where
it happens. The summary names the set and nothing else: no names, no challenges, no
commitments, so a calendar shared with colleagues or synced to a phone shows no one's
personal data.
"""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from icalendar import Event

# `clock` and `london_timezone` stay importable from here for the set pages and their tests.
from core.calendars import (  # noqa: F401
    LONDON,
    clock,
    london_timezone,
    new_calendar,
    stamp_now,
    timed_event,
)

from .models import LearningSet, Meeting

PRODID = "-//Leading Together//Action learning sets//EN"


def meeting_summary(learning_set: LearningSet) -> str:
    return _("Action learning set meeting: %(name)s") % {"name": learning_set.name}


def meeting_event(meeting: Meeting, learning_set: LearningSet, stamp: datetime.datetime) -> Event:
    return timed_event(
        uid=str(meeting.uid),
        starts_at=meeting.starts_at,
        duration=datetime.timedelta(minutes=meeting.duration_minutes),
        summary=meeting_summary(learning_set),
        stamp=stamp,
        sequence=meeting.sequence,
        # A meeting by video only gives its link as its place too.
        location=meeting.place or meeting.video_url,
        url=meeting.video_url,
    )


def calendar_for(
    learning_set: LearningSet, meetings: Iterable[Meeting], *, name: str = ""
) -> bytes:
    """A calendar (METHOD:PUBLISH) of the set's meetings."""
    calendar = new_calendar(PRODID, name=name)
    stamp = stamp_now()
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
