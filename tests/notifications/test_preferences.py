"""The email preferences page on the account pages."""

import pytest
from django.urls import reverse

from notifications.models import Preferences
from tests.cohorts.factories import make_lead
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("notifications:preferences")
ALL_ON = {
    "not_started": "on",
    "gone_quiet": "on",
    "commitment_due": "on",
    "team_waiting": "on",
    "meeting_tomorrow": "on",
    "nudge": "on",
}


def test_signing_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert client.post(URL, ALL_ON).status_code == 302
    assert not Preferences.objects.exists()


def test_a_newcomer_sees_the_defaults_and_reading_writes_nothing(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count(" checked") == 6  # every kind on, the weekly summary off
    assert "lead_digest" not in html
    assert not Preferences.objects.exists()


def test_saving_switches_kinds_off_and_on_and_a_double_submit_changes_nothing(client):
    person = UserFactory()
    client.force_login(person)
    choice = {**ALL_ON, "weekly_summary": "on"}
    del choice["gone_quiet"]
    for _ in range(2):
        response = client.post(URL, choice)
        assert response.status_code == 302
    preferences = Preferences.objects.get(person=person)
    assert preferences.gone_quiet is False and preferences.weekly_summary is True
    assert preferences.nudge is True
    assert Preferences.objects.count() == 1
    page = client.get(URL).content.decode()
    assert "Your email preferences have been saved." in page


def test_leads_also_choose_the_digest(client):
    lead = make_lead()
    client.force_login(lead)
    assert "lead_digest" in client.get(URL).content.decode()
    client.post(URL, {**ALL_ON, "lead_digest": "on"})
    assert Preferences.objects.get(person=lead).lead_digest is True


def test_a_learner_cannot_set_the_leads_digest(client):
    learner = UserFactory()
    client.force_login(learner)
    client.post(URL, {**ALL_ON, "lead_digest": "on"})
    assert Preferences.objects.get(person=learner).lead_digest is False


@pytest.mark.parametrize("value", ["\x00", "x" * 100_000, "9999-12-31", "1" * 20, "false", ""])
def test_hostile_values_never_fail(client, value):
    person = UserFactory()
    client.force_login(person)
    response = client.post(URL, dict.fromkeys((*ALL_ON, "weekly_summary", "calendar_token"), value))
    assert response.status_code in (200, 302, 400)
    preferences = Preferences.objects.filter(person=person).first()
    if preferences is not None:
        assert len(preferences.calendar_token) < 64  # never taken from the request


def test_the_profile_links_to_the_preferences(client):
    client.force_login(UserFactory())
    assert URL in client.get(reverse("accounts_profile")).content.decode()
