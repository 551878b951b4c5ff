"""Invitations that expired without being accepted are deleted by a daily job, in a fixed
number of queries; accepted ones stay with their cohort."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import services
from cohorts.models import Invitation

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def invite(cohort, lead, addresses, *, expires_in_days: int, **fields):
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=addresses)
    Invitation.objects.filter(email__in=addresses).update(
        expires_at=NOW + expires_in_days * DAY, **fields
    )
    return list(Invitation.objects.filter(email__in=addresses))


@pytest.mark.django_db
def test_expired_unaccepted_invitations_go_and_the_rest_stay(
    cohort, lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        expired = invite(cohort, lead, ["gone1@example.org"], expires_in_days=-1)
        declined = invite(
            cohort, lead, ["gone2@example.org"], expires_in_days=-2, declined_at=NOW - 5 * DAY
        )
        waiting = invite(cohort, lead, ["waiting@example.org"], expires_in_days=3)
        accepted = invite(
            cohort, lead, ["joined@example.org"], expires_in_days=-9, accepted_at=NOW - 20 * DAY
        )

    assert services.invitations_expired_delete(now=NOW) == 2

    remaining = set(Invitation.objects.values_list("email", flat=True))
    assert remaining == {"waiting@example.org", "joined@example.org"}
    assert not Invitation.objects.filter(pk__in=[i.pk for i in expired + declined]).exists()
    assert {i.pk for i in waiting + accepted} == set(
        Invitation.objects.values_list("pk", flat=True)
    )
    assert services.invitations_expired_delete(now=NOW) == 0  # again: nothing to do


@pytest.mark.django_db
def test_the_job_costs_the_same_queries_for_few_or_many(
    cohort, lead, django_capture_on_commit_callbacks
):
    def cost(count: int) -> int:
        Invitation.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=False):
            invite(
                cohort,
                lead,
                [f"old{n}@example.org" for n in range(count)],
                expires_in_days=-1,
            )
        with CaptureQueriesContext(connection) as queries:
            assert services.invitations_expired_delete(now=NOW) == count
        return len(queries)

    assert cost(2) == cost(40)


@pytest.mark.django_db
def test_the_command_says_how_many(cohort, lead, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        invite(cohort, lead, ["a@example.org", "b@example.org"], expires_in_days=-1)
    call_command("cohort_invitations_expire")
    assert "Deleted 2 expired invitations." in capsys.readouterr().out
