"""The daily reminders job: who is due each kind, who is never emailed, nothing twice,
and a fixed number of queries whatever the number of people."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import account_erase
from cohorts.models import Membership
from learning_sets.models import Meeting
from notifications import selection
from notifications.models import Kind, Reminder
from notifications.services import reminders_run
from tests.assessments.factories import submit
from tests.factories import UserFactory
from tests.learning_sets.factories import make_set

from .factories import commitment, enrol, join, london_today, prefer, team_with

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def due_now(today=None):
    return [item for batch in selection.due_reminders(today or london_today()) for item in batch]


def keys(items):
    return {(item.person_id, item.kind, item.object_key, item.period) for item in items}


# Not started ---------------------------------------------------------------------------


def test_not_started_after_the_cohorts_days_then_once_more_then_never(cohort, mailoutbox):
    waiting = UserFactory()
    join(cohort, waiting, days_ago=7)
    too_soon = UserFactory()
    join(cohort, too_soon, days_ago=6)

    today = london_today()
    first = reminders_run(today)
    assert first.queued == 1
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    assert Reminder.objects.get(person=waiting).period == "1"

    # The second comes N days after the first was recorded, not before.
    Membership.objects.filter(learner=too_soon).delete()
    assert reminders_run(today + 6 * DAY).queued == 0
    Reminder.objects.filter(person=waiting).update(
        created_at=selection.london_start(today - 7 * DAY)
    )
    second = reminders_run(today)
    assert second.queued == 1
    assert set(Reminder.objects.filter(person=waiting).values_list("period", flat=True)) == {
        "1",
        "2",
    }
    Reminder.objects.filter(person=waiting).update(
        created_at=selection.london_start(today - 30 * DAY)
    )
    assert reminders_run(today).queued == 0
    assert len(mailoutbox) == 2


def test_not_started_follows_the_cohorts_setting(cohort):
    cohort.reminder_not_started_days = 3
    cohort.save()
    learner = UserFactory()
    join(cohort, learner, days_ago=3)

    assert keys(due_now()) == {(learner.pk, Kind.NOT_STARTED, f"cohort:{cohort.pk}", "1")}


def test_opening_one_of_the_cohorts_modules_counts_as_started(cohort, modules, home_page):
    from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

    started = UserFactory()
    join(cohort, started, days_ago=10)
    enrol(started, modules[1], last_visit_days_ago=1)
    elsewhere = UserFactory()
    join(cohort, elsewhere, days_ago=10)
    other = ModulePageFactory(parent=ProgrammePageFactory(parent=home_page, title="Other"))
    enrol(elsewhere, other, last_visit_days_ago=1)

    assert {item.person_id for item in due_now() if item.kind == Kind.NOT_STARTED} == {elsewhere.pk}


# Gone quiet ----------------------------------------------------------------------------


def test_gone_quiet_once_a_month_per_module_in_progress(modules, mailoutbox):
    quiet = UserFactory()
    enrol(quiet, modules[0], last_visit_days_ago=21)
    recent = UserFactory()
    enrol(recent, modules[0], last_visit_days_ago=20)
    finished = UserFactory()
    enrol(finished, modules[0], last_visit_days_ago=40, completed=True)

    today = london_today()
    due = keys(due_now(today))
    assert due == {(quiet.pk, Kind.GONE_QUIET, f"module:{modules[0].pk}", today.strftime("%Y-%m"))}
    reminders_run(today)
    assert [m.to for m in mailoutbox] == [[quiet.email]]
    assert "Pick up where you left off" in mailoutbox[0].subject
    reminders_run(today + DAY)  # the same month: the quiet learner is not reminded again
    assert [m.to for m in mailoutbox].count([quiet.email]) == 1


# Commitments ---------------------------------------------------------------------------


def test_commitment_due_tomorrow_and_three_days_overdue(db):
    learner = UserFactory()
    today = london_today()
    tomorrow = commitment(learner, due_on=today + DAY)
    overdue = commitment(learner, due_on=today - 3 * DAY)
    commitment(learner, due_on=today - 2 * DAY)
    commitment(learner, due_on=today + 2 * DAY)

    assert keys(due_now(today)) == {
        (learner.pk, Kind.COMMITMENT_DUE, f"commitment:{tomorrow.pk}", "due"),
        (learner.pk, Kind.COMMITMENT_DUE, f"commitment:{overdue.pk}", "overdue"),
    }


# Teams ---------------------------------------------------------------------------------


def test_team_waiting_reminds_who_has_not_answered_until_the_report_opens(team_instrument):
    members = [UserFactory() for _ in range(4)]
    team = team_with(team_instrument, members)
    submit(members[0], team_instrument, team=team)

    today = london_today()
    week = selection.iso_week(today)
    assert keys(due_now(today)) == {
        (member.pk, Kind.TEAM_WAITING, f"team:{team.pk}", week) for member in members[1:]
    }

    submit(members[1], team_instrument, team=team)
    submit(members[2], team_instrument, team=team)  # three answers: the report is open
    assert [item for item in due_now(today) if item.kind == Kind.TEAM_WAITING] == []


# Meetings ------------------------------------------------------------------------------


def test_meeting_tomorrow_reminds_members_still_in_the_cohort_with_the_calendar_file(
    cohort, lead, mailoutbox
):
    staying, leaving = UserFactory(), UserFactory()
    learning_set = make_set(cohort, lead=lead, members=[staying, leaving])
    today = london_today()
    tomorrow_noon = selection.london_start(today + DAY) + datetime.timedelta(hours=12)
    meeting = Meeting.objects.create(learning_set=learning_set, starts_at=tomorrow_noon)
    Meeting.objects.create(learning_set=learning_set, starts_at=tomorrow_noon + 2 * DAY)
    # Leaving the cohort normally removes the set place too; remove only the cohort
    # membership here to check the rule itself.
    Membership.objects.filter(cohort=cohort, learner=leaving).delete()

    meeting_keys = {key for key in keys(due_now(today)) if key[1] == Kind.MEETING_TOMORROW}
    assert meeting_keys == {(staying.pk, Kind.MEETING_TOMORROW, f"meeting:{meeting.pk}", "")}

    Membership.objects.filter(learner=staying).update(
        joined_at=selection.london_start(today)
    )  # no not-started reminder in the way
    reminders_run(today)
    sent = [m for m in mailoutbox if "meets tomorrow" in m.subject]
    assert len(sent) == 1
    (filename, content, mimetype) = sent[0].attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert str(meeting.uid) in (content if isinstance(content, str) else content.decode())


# Never email ---------------------------------------------------------------------------


def test_nobody_who_may_not_be_emailed_is_selected(cohort):
    ok = UserFactory()
    unverified = UserFactory(verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True)
    inactive = UserFactory(is_active=False)
    excluded = UserFactory(exclude_from_reports=True)
    switched_off = UserFactory()
    prefer(switched_off, not_started=False)
    erased = UserFactory()
    for person in (ok, unverified, inactive, excluded, switched_off, erased):
        join(cohort, person, days_ago=8)
    account_erase(user=erased)

    assert {item.person_id for item in due_now()} == {ok.pk}


def test_a_task_checks_again_before_sending(cohort, mailoutbox, django_capture_on_commit_callbacks):
    from notifications.tasks import reminder_send

    learner = UserFactory()
    join(cohort, learner, days_ago=8)
    reminders_run(london_today(), dry_run=False)
    Reminder.objects.update(sent_at=None)
    mailoutbox.clear()
    prefer(learner, not_started=False)

    assert reminder_send.call(Reminder.objects.get().pk) == 0
    assert mailoutbox == []
    assert Reminder.objects.get().held_back == "may not be emailed"


def test_a_task_does_not_email_about_a_cohort_they_have_since_left(cohort, mailoutbox):
    from notifications.tasks import reminder_send

    learner = UserFactory()
    join(cohort, learner, days_ago=8)
    reminder = Reminder.objects.create(
        person=learner,
        kind=Kind.NOT_STARTED,
        object_key=f"cohort:{cohort.pk}",
        period="1",
        run="0" * 32,
    )
    Membership.objects.filter(learner=learner).delete()

    assert reminder_send.call(reminder.pk) == 0
    assert mailoutbox == []
    reminder.refresh_from_db()
    assert reminder.held_back == "may not be emailed" and reminder.sent_at is None


# Runs ----------------------------------------------------------------------------------


def test_running_twice_sends_nothing_twice(cohort, modules, mailoutbox):
    people = [UserFactory() for _ in range(3)]
    for person in people:
        join(cohort, person, days_ago=8)
        commitment(person, due_on=london_today() + DAY)

    first = reminders_run()
    second = reminders_run()

    assert first.queued == 6 and second.queued == 0 and second.recorded == 0
    assert len(mailoutbox) == 6
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 6


def test_dry_run_prints_and_writes_nothing(cohort, mailoutbox, capsys):
    learner = UserFactory()
    join(cohort, learner, days_ago=8)

    call_command("reminders_send", "--dry-run", "--today", london_today().isoformat())

    out = capsys.readouterr().out
    assert f"would send not_started cohort:{cohort.pk} 1 to person {learner.pk}" in out
    assert Reminder.objects.count() == 0 and mailoutbox == []


def test_the_command_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--today"):
        call_command("reminders_send", "--today", "9999-99-99")


def test_weekly_summary_holds_reminders_back_and_sends_one_on_monday(cohort, mailoutbox):
    weekly = UserFactory()
    prefer(weekly, weekly_summary=True)
    join(cohort, weekly, days_ago=8)
    today = london_today()
    tuesday = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    commitment(weekly, due_on=tuesday + DAY)

    reminders_run(tuesday)
    assert mailoutbox == []
    assert set(Reminder.objects.values_list("held_back", flat=True)) == {"weekly summary"}

    monday = tuesday + 6 * DAY
    result = reminders_run(monday)
    assert result.summaries == 1
    assert len(mailoutbox) == 1
    summary = mailoutbox[0]
    assert summary.subject == "Your week's reminders"
    assert "action you committed to is due" in summary.body
    assert "List-Unsubscribe" in summary.extra_headers
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert reminders_run(monday).summaries == 0 and len(mailoutbox) == 1


def test_the_scheduler_runs_the_job_daily():
    from core.management.commands.scheduler import DAY as SCHEDULER_DAY
    from core.management.commands.scheduler import JOBS

    assert [job.interval_seconds for job in JOBS if job.command == "reminders_send"] == [
        SCHEDULER_DAY
    ]


# Queries -------------------------------------------------------------------------------


def populate(cohort, modules, team_instrument, lead, size: int):
    today = london_today()
    people = [UserFactory() for _ in range(size)]
    for person in people:
        join(cohort, person, days_ago=8)
        enrol(person, modules[0], last_visit_days_ago=30) if person.pk % 2 else None
        commitment(person, due_on=today + DAY)
    team_with(team_instrument, people[:3], name=f"Team {size}")
    learning_set = make_set(cohort, lead=lead, members=people[:2], name=f"Set {size}")
    Meeting.objects.create(
        learning_set=learning_set,
        starts_at=selection.london_start(today + DAY) + datetime.timedelta(hours=10),
    )


def selection_queries(batch_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        items = [
            item
            for batch in selection.due_reminders(london_today(), batch_size=batch_size)
            for item in batch
        ]
    assert items
    return len(queries)


def test_selection_costs_a_fixed_number_of_queries_per_batch(
    cohort, modules, team_instrument, lead
):
    populate(cohort, modules, team_instrument, lead, 4)
    selection_queries(batch_size=100)  # the first reading of the site's settings creates them
    small = selection_queries(batch_size=100)
    populate(cohort, modules, team_instrument, lead, 20)
    large = selection_queries(batch_size=100)
    assert large == small

    # Another batch costs at most its own fixed share: the batch's people, not started
    # (memberships, enrolments, earlier reminders), gone quiet, commitments, teams (members,
    # answers, counts) and meetings (meetings, set members).
    two_batches = selection_queries(batch_size=20)
    assert 0 < two_batches - large <= 11
