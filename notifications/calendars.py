"""A learner's dates as calendar files: one action commitment's due date, a cohort's start
and end, and the personal feed that gathers them with their set meetings.

What a calendar may say. A calendar file leaves the site: it is synced to phones, shared
with colleagues (many NHS calendars are open to the whole team by default), and a feed's
secret address can be forwarded by mistake. So every event holds only what the course and
the cohort already show to everyone in them:

- an action commitment is "Action commitment due" with the title of the lesson it came
  from and a link to the learner's journal; never the words of the commitment, which are
  the learner's alone (`DESIGN.md`, rule 1) and which the journal shows them after signing
  in. This holds for the single download too, because it ends up in the same calendar;
- a set meeting is the set's own event (`learning_sets.calendars.meeting_event`: the same
  UID, so a calendar subscribed to both shows it once), naming the set only;
- a cohort's start and end name the cohort.

No event names a person. Every read here costs a fixed number of queries, however many
commitments, meetings and cohorts a person has.
"""

import datetime
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Event

from accounts.models import User
from cohorts.models import Cohort, Membership
from core.calendars import LONDON, all_day_event, new_calendar, stamp_now
from learning_sets.calendars import meeting_event
from learning_sets.models import Meeting
from modules.models import JournalEntry

from .models import Preferences

PRODID = "-//Leading Together//My learning calendar//EN"
# How far back the feed reaches: old dates help nobody and only make the file longer.
FEED_PAST_DAYS = 90

# Builds an absolute URL from a path (the request's `build_absolute_uri`).
Absolute = Callable[[str], str]


def _uid_host() -> str:
    return urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "leading-together.invalid"


# Reads ------------------------------------------------------------------------------------


def commitments_with_dates(person: User) -> QuerySet[JournalEntry]:
    """The person's own action commitments that have a due date (one query when read)."""
    return JournalEntry.objects.filter(
        learner=person, kind=JournalEntry.Kind.ACTION, due_on__isnull=False
    ).only("pk", "learner_id", "kind", "due_on", "lesson_title")


def commitment_of(person: User, commitment_id: int) -> JournalEntry | None:
    """One of the person's own dated action commitments; None for anybody else's, for a
    reflection, or for an id that is nobody's (one query)."""
    return commitments_with_dates(person).filter(pk=commitment_id).first()


def cohort_of(person: User, cohort_id: int) -> Cohort | None:
    """A cohort the person is a member of now, if it has a start or an end date; None
    otherwise, whether or not the id exists (one query)."""
    return dated_cohorts(person).filter(pk=cohort_id).first()


def set_meetings_of(person: User) -> QuerySet[Meeting]:
    """Meetings of the sets the person may open: as a member who has accepted the set's
    ground rules (before that, the set shows them nothing else), or as its facilitator."""
    return (
        Meeting.objects.filter(
            Q(
                learning_set__members__learner=person,
                learning_set__members__ground_rules_accepted_at__isnull=False,
            )
            | Q(learning_set__facilitator=person)
        )
        .select_related("learning_set")
        .distinct()
        .order_by("starts_at", "pk")
    )


@dataclass
class FeedContents:
    person: User
    commitments: list[JournalEntry]
    meetings: list[Meeting]
    cohorts: list[Cohort]


def feed_owner(token: str) -> User | None:
    """The active person whose feed secret is `token`; None if none (one query). The
    database finds the row by its unique index; the secret is then compared in constant
    time, so that how long an answer takes says nothing about the secret."""
    found = (
        Preferences.objects.filter(calendar_token=token)
        .select_related("person")
        .only("calendar_token", "person")
        .first()
    )
    if found is None or not hmac.compare_digest(found.calendar_token.encode(), token.encode()):
        return None
    if not found.person.is_active:
        return None
    return found.person


def feed_contents(token: str, *, now: datetime.datetime | None = None) -> FeedContents | None:
    """Everything the personal feed holds (four queries), or None for an unknown token."""
    person = feed_owner(token)
    if person is None:
        return None
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FEED_PAST_DAYS)
    return FeedContents(
        person=person,
        commitments=list(
            commitments_with_dates(person)
            .filter(due_on__gte=since.astimezone(LONDON).date())
            .order_by("due_on", "pk")
        ),
        meetings=list(set_meetings_of(person).filter(starts_at__gte=since)),
        cohorts=list(dated_cohorts(person)),
    )


def dated_cohorts(person: User) -> QuerySet[Cohort]:
    """The cohorts the person is a member of now that have a start or an end date."""
    return (
        Cohort.objects.filter(pk__in=Membership.objects.filter(learner=person).values("cohort_id"))
        .filter(Q(start_date__isnull=False) | Q(end_date__isnull=False))
        .only("pk", "name", "start_date", "end_date")
        .order_by("name", "pk")
    )


# Writers ----------------------------------------------------------------------------------


def commitment_summary(commitment: JournalEntry) -> str:
    if commitment.lesson_title:
        return _("Action commitment due (from %(lesson)s)") % {"lesson": commitment.lesson_title}
    return _("Action commitment due")


def commitment_event(
    commitment: JournalEntry, stamp: datetime.datetime, absolute: Absolute
) -> Event:
    event = all_day_event(
        uid=f"commitment-{commitment.pk}@{_uid_host()}",
        day=commitment.due_on,  # type: ignore[arg-type]  # only dated ones are read
        summary=commitment_summary(commitment),
        stamp=stamp,
        url=absolute(reverse("modules:journal")),
    )
    event.add(
        "description",
        _("Your journal has what you committed to. Sign in to read it: %(url)s")
        % {"url": absolute(reverse("modules:journal"))},
    )
    return event


def cohort_events(cohort: Cohort, stamp: datetime.datetime, absolute: Absolute) -> list[Event]:
    url = absolute(reverse("modules:my_learning"))
    events = []
    if cohort.start_date:
        events.append(
            all_day_event(
                uid=f"cohort-{cohort.pk}-start@{_uid_host()}",
                day=cohort.start_date,
                summary=_("%(cohort)s starts") % {"cohort": cohort.name},
                stamp=stamp,
                url=url,
            )
        )
    if cohort.end_date:
        events.append(
            all_day_event(
                uid=f"cohort-{cohort.pk}-end@{_uid_host()}",
                day=cohort.end_date,
                summary=_("%(cohort)s ends") % {"cohort": cohort.name},
                stamp=stamp,
                url=url,
            )
        )
    return events


def commitment_ics(commitment: JournalEntry, absolute: Absolute) -> bytes:
    calendar = new_calendar(PRODID)
    calendar.add_component(commitment_event(commitment, stamp_now(), absolute))
    return calendar.to_ical()


def commitment_filename(commitment: JournalEntry) -> str:
    return f"action-commitment-{commitment.due_on:%Y-%m-%d}.ics"


def cohort_ics(cohort: Cohort, absolute: Absolute) -> bytes:
    calendar = new_calendar(PRODID)
    for event in cohort_events(cohort, stamp_now(), absolute):
        calendar.add_component(event)
    return calendar.to_ical()


def cohort_filename(cohort: Cohort) -> str:
    return f"cohort-{cohort.pk}-dates.ics"


def feed_ics(contents: FeedContents, absolute: Absolute) -> bytes:
    """The personal feed: commitments' due dates, set meetings and cohort dates."""
    calendar = new_calendar(PRODID, name=_("My learning"))
    stamp = stamp_now()
    for commitment in contents.commitments:
        calendar.add_component(commitment_event(commitment, stamp, absolute))
    for meeting in contents.meetings:
        calendar.add_component(meeting_event(meeting, meeting.learning_set, stamp))
    for cohort in contents.cohorts:
        for event in cohort_events(cohort, stamp, absolute):
            calendar.add_component(event)
    return calendar.to_ical()
