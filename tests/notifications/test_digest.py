"""The programme leads' weekly digest: who gets it, what it counts, sending once a week,
and a fixed number of queries for any number of cohorts and members."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Instrument
from learning_sets.models import Attendance, LearningSet, Meeting
from notifications import digest
from notifications.models import Kind, Preferences, Reminder
from notifications.unsubscribe import Unsubscribe, unsubscribe_read
from tests.assessments.factories import AGREEMENT, build_instrument, dimension, submit
from tests.cohorts.factories import add_members, make_cohort, make_lead, progress
from tests.factories import UserFactory, mentions

from .conftest_nudges import *  # noqa: F403 - pytest fixtures
from .conftest_nudges import members

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 9, 12, 0, tzinfo=datetime.UTC)  # a Wednesday, 2026-W50


def days_ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def opt_in(person):
    Preferences.objects.create(person=person, lead_digest=True)
    return person


def team_instrument():
    return build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[dimension("Safety", bands=[(1, 5, "Any")])],
        sections=[("Your team", [("It is safe to take a risk here.", "Safety")])],
    )


def a_team(instrument, founder, others=(), *, submitted=()):
    team = assessment_services.team_create(learner=founder, instrument=instrument, name="Ward")
    for person in others:
        assessment_services.team_join(learner=person, code=team.join_code)
    for person in submitted:
        submit(person, instrument, team=team)
    return team


def a_set(cohort, *, created_days_ago=60, meetings=()):
    name = f"Set {LearningSet.objects.filter(cohort=cohort).count() + 1}"
    learning_set = LearningSet.objects.create(cohort=cohort, name=name)
    LearningSet.objects.filter(pk=learning_set.pk).update(created_at=days_ago(created_days_ago))
    for started_days_ago, recorded in meetings:
        meeting = Meeting.objects.create(
            learning_set=learning_set, starts_at=days_ago(started_days_ago)
        )
        if recorded:
            Attendance.objects.create(
                meeting=meeting,
                learner=cohort.members.first(),
                present=True,
                recorded_at=days_ago(started_days_ago),
            )
    return learning_set


def test_only_leads_who_opted_in_and_may_be_emailed_get_a_digest(lead, cohort, other_cohort):
    opt_in(lead)
    unverified = opt_in(make_lead(verified=False))
    excluded = opt_in(make_lead(exclude_from_reports=True))
    not_leading = opt_in(make_lead())
    for person in (unverified, excluded):
        cohort.leads.add(person)
    Preferences.objects.create(person=other_cohort.leads.get(), lead_digest=False)
    del not_leading

    assert list(digest.digest_leads()) == [lead]


def test_the_digest_counts_each_cohort(lead, cohort, cohort_modules):
    opt_in(lead)
    amira, ben, chloe = members(cohort)
    newcomer = UserFactory(first_name="Nia")
    add_members(cohort, [newcomer], joined_days_ago=2)
    # Amira completed a module this week and one last month; Ben is part way through.
    progress(amira, cohort_modules[0], done=2, total=2, completed_days_ago=3)
    progress(amira, cohort_modules[1], done=2, total=2, completed_days_ago=30)
    progress(ben, cohort_modules[0], done=1, total=2)
    # Completions are counted as of NOW: move them relative to it.
    from modules.models import Enrolment

    for enrolment in Enrolment.objects.filter(completed_at__isnull=False):
        age = timezone.now() - enrolment.completed_at
        Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=NOW - age)
    # A team with one answer (waiting) and one with enough (open).
    instrument = team_instrument()
    a_team(instrument, amira, [ben], submitted=[amira])
    people = UserFactory.create_batch(2)
    a_team(instrument, chloe, people, submitted=[chloe, *people])
    # Sets: one whose meeting last week had no attendance, one silent for weeks, one fine,
    # one new.
    a_set(cohort, meetings=[(3, False)])
    a_set(cohort, meetings=[(40, True)])
    a_set(cohort, meetings=[(3, True)])
    a_set(cohort, created_days_ago=5)

    (only,) = digest.digests(now=NOW)
    (figures,) = only.cohorts

    assert only.lead == lead
    assert (figures.members, figures.new_members) == (4, 1)
    assert figures.completions == 1
    assert figures.not_started == 2  # Chloe and the newcomer
    assert figures.teams_waiting == 1
    assert figures.sets_missed == 2
    assert figures.links["not_started"].endswith(
        f"/admin/cohorts/{cohort.pk}/learners/?status=not_started"
    )


def test_the_email_has_counts_and_links_and_no_names(lead, cohort, mailoutbox):
    opt_in(lead)
    people = members(cohort)

    with_run = digest.lead_digest_send(now=NOW)
    email = mailoutbox[0] if mailoutbox else None

    assert len(with_run.sent) == 1
    assert email is None  # queued after commit; render it directly instead
    message = digest.digest_email(with_run.sent[0], week="2026-W50", site_name="Leading Together")
    html = message.alternatives[0][0]
    assert message.to == [lead.email]
    assert message.subject == "Your cohort this week (2026-W50)"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = message.extra_headers["List-Unsubscribe"].rstrip("/>").rsplit("/", 1)[1]
    assert unsubscribe_read(token) == Unsubscribe(person_id=lead.pk, kind=Kind.LEAD_DIGEST)
    assert "/notifications/unsubscribe/" in message.body
    for text in (message.body, html):
        assert "Leading across Northfield" in text
        assert "3 members have not started yet" in text
        assert f"/admin/cohorts/{cohort.pk}/" in text
        assert "/notifications/preferences/" in text
        for person in people:
            assert not mentions(text, person.get_full_name())
            assert person.email not in text


def test_sending_is_once_a_week_and_records_a_reminder(
    lead, cohort, django_capture_on_commit_callbacks, mailoutbox
):
    opt_in(lead)

    with django_capture_on_commit_callbacks(execute=True):
        first = digest.lead_digest_send(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        again = digest.lead_digest_send(now=NOW + datetime.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        next_week = digest.lead_digest_send(now=NOW + datetime.timedelta(days=7))

    assert (len(first.sent), len(again.sent), len(next_week.sent)) == (1, 0, 1)
    assert len(mailoutbox) == 2
    assert sorted(
        Reminder.objects.filter(kind=Kind.LEAD_DIGEST).values_list("object_key", "period")
    ) == [("digest", "2026-W50"), ("digest", "2026-W51")]


def test_a_run_that_lost_the_race_sends_nothing(lead, cohort, monkeypatch):
    """Another run records this week's digest between our reading and our inserting: our
    insert is ignored, and we send only what we inserted, which is nothing."""
    import uuid

    opt_in(lead)
    real_digests = digest.digests

    def digests_then_another_run_records(**kwargs):
        found = real_digests(**kwargs)
        Reminder.objects.create(
            person=lead,
            kind=Kind.LEAD_DIGEST,
            object_key="digest",
            period="2026-W50",
            run=uuid.uuid4(),
        )
        return found

    monkeypatch.setattr(digest, "digests", digests_then_another_run_records)

    outcome = digest.lead_digest_send(now=NOW)

    assert len(outcome.due) == 1 and outcome.sent == []
    assert Reminder.objects.filter(kind=Kind.LEAD_DIGEST).count() == 1


def test_the_command_dry_run_prints_and_records_nothing(lead, cohort, capsys):
    opt_in(lead)

    call_command("lead_digest_send", "--dry-run", "--today", "2026-12-09")

    out = capsys.readouterr().out
    assert f"would send to lead {lead.pk}: Leading across Northfield" in out
    assert "Week 2026-W50: 1 digest(s) due, 0 queued (dry run)." in out
    assert not Reminder.objects.exists()


def test_the_command_sends_and_refuses_a_bad_date(lead, cohort, capsys):
    from django.core.management.base import CommandError

    opt_in(lead)

    call_command("lead_digest_send", "--today", "2026-12-09")
    with pytest.raises(CommandError):
        call_command("lead_digest_send", "--today", "9999-99-99")

    assert "1 queued" in capsys.readouterr().out
    assert Reminder.objects.filter(kind=Kind.LEAD_DIGEST, period="2026-W50").count() == 1


def _grow(lead_count: int, members_each: int, cohort_modules):
    for index in range(lead_count):
        lead = opt_in(make_lead())
        cohort = make_cohort(lead=lead, name=f"Cohort {index}", modules=cohort_modules)
        learners = UserFactory.create_batch(members_each)
        add_members(cohort, learners)
        progress(learners[0], cohort_modules[0], done=1, total=2, completed_days_ago=2)
        a_set(cohort, meetings=[(3, False)])


def test_the_digest_costs_the_same_queries_for_few_or_many_cohorts_and_members(
    cohort_modules, django_capture_on_commit_callbacks
):
    counts = []
    for lead_count, members_each in ((1, 2), (4, 6)):
        Reminder.objects.all().delete()
        _grow(lead_count, members_each, cohort_modules)
        with CaptureQueriesContext(connection) as queries:
            with django_capture_on_commit_callbacks(execute=False):
                outcome = digest.lead_digest_send(now=timezone.now())
        counts.append(len(queries))
        assert outcome.sent
    assert counts[0] == counts[1], counts
