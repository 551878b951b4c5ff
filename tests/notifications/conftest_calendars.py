"""People, dates and meetings for the calendar and "Coming up" tests (imported, not a
conftest: the reminders part owns tests/notifications/conftest.py)."""

import datetime
import zoneinfo
from dataclasses import dataclass

import icalendar
from django.utils import timezone

from learning_sets.models import LearningSet, Meeting
from modules.models import JournalEntry
from notifications.models import Preferences
from tests.cohorts.factories import add_members, make_cohort, make_lead, make_site_admin, with_role
from tests.factories import UserFactory
from tests.learning_sets.conftest_member import add_to_set

LONDON = zoneinfo.ZoneInfo("Europe/London")
PRIVATE_WORDS = "Ask the discharge team what slows them down"


def commitment(
    learner, *, due_in_days: int | None = 5, text: str = PRIVATE_WORDS, block_id: str = ""
) -> JournalEntry:
    """An action commitment in the learner's journal, due `due_in_days` from today (UK)."""
    today = timezone.now().astimezone(LONDON).date()
    return JournalEntry.objects.create(
        learner=learner,
        block_id=block_id or f"b-{JournalEntry.objects.count() + 1}",
        lesson_title="Leading beyond your organisation",
        module_title="Seeing the system",
        kind=JournalEntry.Kind.ACTION,
        prompt="What will you do, and by when?",
        text=text,
        due_on=None if due_in_days is None else today + datetime.timedelta(days=due_in_days),
    )


def reflection(learner) -> JournalEntry:
    return JournalEntry.objects.create(
        learner=learner,
        block_id=f"r-{JournalEntry.objects.count() + 1}",
        lesson_title="Leading beyond your organisation",
        module_title="Seeing the system",
        kind=JournalEntry.Kind.REFLECTION,
        prompt="What did you notice?",
        text="A private reflection",
    )


def meeting_at(learning_set: LearningSet, starts_at: datetime.datetime) -> Meeting:
    return Meeting.objects.create(
        learning_set=learning_set, starts_at=starts_at, place="Room 2, Riverside Health Centre"
    )


def feed_token(person) -> str:
    return Preferences.objects.get_or_create(person=person)[0].calendar_token


def events(body: bytes) -> list:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(body)]


@dataclass
class CalendarWorld:
    owner: object
    fellow: object
    outsider: object
    lead: object
    other_lead: object
    editor: object
    admin: object
    cohort: object
    other_cohort: object
    learning_set: LearningSet
    meeting: Meeting
    mine: JournalEntry
    theirs: JournalEntry


def build_world() -> CalendarWorld:
    lead = make_lead(first_name="Tom", last_name="Gallagher")
    other_lead = make_lead(first_name="Rhian", last_name="Evans")
    today = timezone.now().astimezone(LONDON).date()
    cohort = make_cohort(
        lead=lead,
        name="Leading across Northfield",
        start_date=today - datetime.timedelta(days=10),
        end_date=today + datetime.timedelta(days=80),
    )
    other_cohort = make_cohort(
        lead=other_lead,
        name="Harbour compassionate leaders",
        start_date=today,
        end_date=today + datetime.timedelta(days=30),
    )
    owner = UserFactory(first_name="Amira", last_name="Khan")
    fellow = UserFactory(first_name="Ben", last_name="Okafor")
    outsider = UserFactory(first_name="Lena", last_name="Elsewhere")
    add_members(other_cohort, [outsider])
    learning_set = LearningSet.objects.create(cohort=cohort, name="Riverside set")
    add_to_set(learning_set, owner)
    add_to_set(learning_set, fellow)
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    return CalendarWorld(
        owner=owner,
        fellow=fellow,
        outsider=outsider,
        lead=lead,
        other_lead=other_lead,
        editor=with_role(UserFactory(), "Course editor"),
        admin=make_site_admin(),
        cohort=cohort,
        other_cohort=other_cohort,
        learning_set=learning_set,
        meeting=meeting_at(learning_set, starts),
        mine=commitment(owner, due_in_days=5),
        theirs=commitment(fellow, due_in_days=5, text="Ben's private plan"),
    )
