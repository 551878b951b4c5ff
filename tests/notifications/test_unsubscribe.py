"""One-click unsubscribe: a signed link, a confirmation page, the RFC 8058 POST, and 404
for anything that is not one of our tokens."""

import pytest
from django.core import signing
from django.urls import reverse

from notifications.models import Kind, Preferences
from notifications.unsubscribe import SALT, unsubscribe_read, unsubscribe_token
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(token):
    return reverse("notifications:unsubscribe", kwargs={"token": token})


def test_get_asks_and_changes_nothing(client):
    person = UserFactory()
    response = client.get(url(unsubscribe_token(person.pk, Kind.GONE_QUIET)))
    assert response.status_code == 200
    assert b"Stop these emails" in response.content
    assert not Preferences.objects.exists()


def test_the_one_click_post_switches_the_kind_off_without_signing_in(client):
    person = UserFactory()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    token = unsubscribe_token(person.pk, Kind.GONE_QUIET)

    for _ in range(2):  # a repeated click changes nothing more
        response = csrf_client.post(
            url(token),
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
    preferences = Preferences.objects.get(person=person)
    assert preferences.gone_quiet is False
    assert preferences.not_started is True and preferences.commitment_due is True
    assert b"You have been unsubscribed" in response.content


def test_the_summary_link_stops_every_learner_reminder(client):
    person = UserFactory()
    client.post(url(unsubscribe_token(person.pk, Kind.WEEKLY_SUMMARY)))
    preferences = Preferences.objects.get(person=person)
    assert not any(
        getattr(preferences, kind)
        for kind in (
            "not_started",
            "gone_quiet",
            "commitment_due",
            "team_waiting",
            "meeting_tomorrow",
        )
    )
    assert preferences.nudge is True


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a" * 5000,
        "%00",
        "9999:abc",
        signing.dumps([1, "gone_quiet"], salt="another.salt"),
        signing.dumps([1, "calendar_token"], salt=SALT),
        signing.dumps(["1", "gone_quiet"], salt=SALT),
        signing.dumps([10**20, "gone_quiet"], salt=SALT),
        signing.dumps({"p": 1}, salt=SALT),
    ],
    # Fixed names: a signed token holds the time it was made, and pytest-xdist needs
    # every process to collect the same tests.
    ids=[
        "nonsense",
        "5000 characters",
        "escaped NUL",
        "colons",
        "another salt",
        "not a kind",
        "id as text",
        "20-digit id",
        "old shape",
    ],
)
def test_a_bad_or_forged_token_is_not_found(client, token):
    UserFactory()
    assert client.get(url(token)).status_code == 404
    assert client.post(url(token)).status_code == 404
    assert not Preferences.objects.exists()


def test_a_token_for_an_erased_or_inactive_person_is_not_found(client):
    gone = UserFactory()
    token = unsubscribe_token(gone.pk, Kind.NUDGE)
    gone.delete()
    inactive = UserFactory(is_active=False)
    assert client.post(url(token)).status_code == 404
    assert client.post(url(unsubscribe_token(inactive.pk, Kind.NUDGE))).status_code == 404


def test_a_tampered_token_does_not_read():
    token = unsubscribe_token(5, Kind.NUDGE)
    assert unsubscribe_read(token).person_id == 5
    assert unsubscribe_read(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    with pytest.raises(ValueError):
        unsubscribe_token(5, "calendar_token")
