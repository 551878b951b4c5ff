"""Two runs of the daily job at once, on PostgreSQL, send nothing twice: the unique
constraint decides which run records each reminder, and each run sends only the rows it
recorded. SQLite serialises writers, so two runs there can never overlap."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection, connections

from notifications.models import Reminder
from notifications.services import reminders_run
from tests.factories import UserFactory

from .factories import commitment, join, london_today

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite allows one writer at a time, so runs cannot overlap "
        "(make test runs this in its PostgreSQL phase)",
    ),
]


def test_two_concurrent_runs_send_nothing_twice(site_home, cohort):
    # site_home first: real commits by earlier tests may have emptied Wagtail's tree.
    people = [UserFactory() for _ in range(30)]
    for person in people:
        join(cohort, person, days_ago=8)
        commitment(person, due_on=london_today() + datetime.timedelta(days=1))
    mail.outbox = []
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait()
            results.append(reminders_run(london_today(), batch_size=7))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors, errors
    assert sum(result.queued for result in results) == 60
    sent = [(message.to[0], message.subject) for message in mail.outbox]
    assert len(sent) == 60
    assert len(set(sent)) == 60  # each person's two reminders, once each
    assert Reminder.objects.count() == 60
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
    assert reminders_run(london_today()).recorded == 0
