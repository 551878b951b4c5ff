"""Two submissions at the same moment: of the same nudge form (a double click), of two
different forms to the same learners, and two digest runs at once. Each sends once.

Run in threads with real transactions: on SQLite its IMMEDIATE transactions serialise the
writers; on PostgreSQL (`make test-postgres`) the learners' rows are locked."""

import threading
import uuid

import pytest
from django.db import connection

from notifications import digest, nudges
from notifications.models import Kind, Nudge, Preferences, Reminder
from tests.cohorts.factories import add_members, make_cohort, make_lead
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls):
    barrier = threading.Barrier(len(calls))
    errors, results = [], []

    def run(call):
        try:
            barrier.wait(timeout=5)
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert errors == []
    return results


def a_cohort():
    lead = make_lead(first_name="Tom", last_name="Gallagher")
    cohort = make_cohort(lead=lead, name="Northfield leaders")
    learners = UserFactory.create_batch(3)
    add_members(cohort, learners)
    return lead, cohort, [learner.pk for learner in learners]


@pytest.mark.parametrize("same_form", [True, False], ids=["double click", "two forms"])
def test_two_sends_at_the_same_moment_nudge_each_learner_once(same_form):
    lead, cohort, ids = a_cohort()
    run = uuid.uuid4()

    def send():
        return nudges.nudge_send(
            user=lead,
            cohort=cohort,
            learner_ids=ids,
            subject="Hello",
            message="Hello {first_name}",
            run=run if same_form else uuid.uuid4(),
        )

    outcomes = at_once(send, send)

    assert Nudge.objects.count() == 1
    assert Reminder.objects.filter(kind=Kind.NUDGE).count() == 3
    sent = [outcome for outcome in outcomes if outcome.nudge is not None and not outcome.repeated]
    assert len(sent) == 1
    if same_form:
        assert [outcome.repeated for outcome in outcomes].count(True) == 1


def test_two_digest_runs_at_the_same_moment_send_once():
    lead, _cohort, _ids = a_cohort()
    Preferences.objects.create(person=lead, lead_digest=True)

    outcomes = at_once(digest.lead_digest_send, digest.lead_digest_send)

    assert sum(len(outcome.sent) for outcome in outcomes) == 1
    assert Reminder.objects.filter(kind=Kind.LEAD_DIGEST, person=lead).count() == 1
