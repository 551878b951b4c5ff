"""The demo cohorts: two led by lead@example.org across at least four organisations, and
one led by someone else that the demo lead cannot see."""

import pytest
from django.core.management import call_command

from accounts.models import User
from cohorts.models import Cohort
from cohorts.permissions import visible_cohorts, visible_learners


@pytest.mark.django_db
def test_seed_demo_gives_the_demo_lead_two_cohorts_and_another_lead_a_third(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)

    lead = User.objects.get(email="lead@example.org")
    other = User.objects.get(email="lead.two@example.org")
    mine = visible_cohorts(lead)
    assert mine.count() == 2
    for cohort in mine:
        organisations = {member.organisation_id for member in visible_learners(lead, cohort)}
        assert len(organisations) >= 4, cohort.name
    theirs = Cohort.objects.exclude(pk__in=mine.values("pk")).get()
    assert list(visible_cohorts(other)) == [theirs]
    only_theirs = set(visible_learners(other)) - set(visible_learners(lead))
    assert only_theirs, "the other cohort should have members the demo lead cannot see"
