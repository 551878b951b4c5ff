"""The demo sets: two in the demo lead's first cohort, each mixing at least three
organisations, with past meetings, attendance, shared commitments and check-ins, and a
meeting to come; learner1 in a set, learner9 in none; safe to run twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from learning_sets.models import (
    Attendance,
    CheckIn,
    LearningSet,
    Meeting,
    SetMember,
    SharedCommitment,
)


@pytest.mark.django_db
def test_seed_demo_makes_two_mixed_sets_with_meetings_and_check_ins(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # twice: nothing more is made

    lead = User.objects.get(email="lead@example.org")
    sets = LearningSet.objects.filter(cohort__leads=lead).order_by("name")
    assert sets.count() == 2
    assert {s.cohort.name for s in sets} == {"Northfield system leadership 2026"}
    now = timezone.now()
    for learning_set in sets:
        members = SetMember.objects.filter(learning_set=learning_set)
        organisations = set(members.values_list("learner__organisation", flat=True))
        assert len(organisations) >= 3, learning_set.name
        meetings = Meeting.objects.filter(learning_set=learning_set)
        assert meetings.filter(starts_at__lt=now).count() == 2
        assert meetings.filter(starts_at__gte=now).count() == 1
        assert Attendance.objects.filter(meeting__learning_set=learning_set).count() == (
            2 * members.count()
        )
        assert SharedCommitment.objects.filter(learning_set=learning_set).exists()
        assert CheckIn.objects.filter(commitment__learning_set=learning_set).exists()
        assert learning_set.facilitator is not None
    assert SetMember.objects.filter(learner__email="learner1@example.org").count() == 1
    assert not SetMember.objects.filter(learner__email="learner9@example.org").exists()
