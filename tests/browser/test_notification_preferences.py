"""A learner reaches their email preferences from their profile, switches a kind off and
chooses the weekly summary with the keyboard alone; then, signed out, stops another kind
from an email's unsubscribe link. axe finds nothing wrong on either page (issue 15)."""

import pytest
from playwright.sync_api import expect

from notifications.models import Kind, Preferences
from notifications.unsubscribe import unsubscribe_token
from tests.browser.axe import check_page
from tests.browser.keyboard import tab_to
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_chooses_their_emails_with_the_keyboard(page, site_home, sign_in):
    learner = UserFactory(email="nadia@example.org")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/accounts/profile/")
    tab_to(page, page.get_by_role("link", name="Email preferences: which reminders you get"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Email preferences")).to_be_visible()
    check_page(page, "email preferences")

    tab_to(page, page.get_by_role("checkbox", name="A module you have not opened for a while"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("checkbox", name="Send me one summary a week instead"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Save preferences"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your email preferences have been saved.")).to_be_visible()
    check_page(page, "email preferences, saved")
    preferences = Preferences.objects.get(person=learner)
    assert preferences.gone_quiet is False and preferences.weekly_summary is True
    assert preferences.not_started is True

    page.context.clear_cookies()
    page.goto(f"/notifications/unsubscribe/{unsubscribe_token(learner.pk, Kind.NUDGE)}/")
    expect(page.get_by_role("heading", level=1, name="Stop these emails")).to_be_visible()
    check_page(page, "unsubscribe, asking")
    tab_to(page, page.get_by_role("button", name="Unsubscribe"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="You have been unsubscribed")).to_be_visible()
    check_page(page, "unsubscribe, done")
    assert Preferences.objects.get(person=learner).nudge is False
