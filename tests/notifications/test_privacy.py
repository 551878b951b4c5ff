"""The notifications app's part of a person's data download and of erasing them."""

import pytest

from accounts.privacy import registry
from accounts.services import account_erase
from notifications.models import Kind, Nudge, Preferences, Reminder
from tests.factories import UserFactory

from .factories import prefer

pytestmark = pytest.mark.django_db


def provider():
    return next(p for p in registry if p.section == "notifications")


def test_export_and_erasure(cohort, lead):
    person = UserFactory()
    other = UserFactory()
    prefer(person, gone_quiet=False)
    prefer(other, nudge=False)
    Reminder.objects.create(
        person=person, kind=Kind.GONE_QUIET, object_key="module:1", period="2026-12", run="0" * 32
    )
    Reminder.objects.create(
        person=other, kind=Kind.GONE_QUIET, object_key="module:1", period="2026-12", run="0" * 32
    )
    nudge = Nudge.objects.create(cohort=cohort, sent_by=lead, subject="Hello", message="Keep going")

    exported = provider().export(person)
    assert exported["preferences"]["gone_quiet"] is False
    assert [r["about"] for r in exported["reminders"]] == ["module:1"]
    assert "calendar_token" not in exported["preferences"]
    assert provider().export(lead)["nudges_sent"][0]["subject"] == "Hello"

    account_erase(user=person)
    assert not Reminder.objects.filter(person_id=person.pk).exists()
    assert not Preferences.objects.filter(person_id=person.pk).exists()
    assert Reminder.objects.filter(person=other).count() == 1
    assert Preferences.objects.filter(person=other).exists()

    provider().erase(lead)
    nudge.refresh_from_db()
    assert nudge.sent_by is None and nudge.message == "Keep going"
