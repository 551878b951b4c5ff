"""A learner deletes their account with the keyboard alone: from their profile, through
"confirm it is you", past a mistake caught by the error summary, to the confirmation;
axe finds no violation on any of these pages."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

from .axe import check_page
from .keyboard import confirm_it_is_you, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_learner_deletes_their_account_with_the_keyboard_alone(page, site_home, sign_in):
    learner = UserFactory(first_name="Nadia", last_name="Quigley")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/accounts/profile/")
    tab_to(page, page.get_by_role("link", name="Delete your account"))
    page.keyboard.press("Enter")

    # allauth asks them to confirm it is them first.
    confirm_it_is_you(page, DEFAULT_PASSWORD)

    expect(page).to_have_url(re.compile(r"/accounts/delete/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    expect(
        page.get_by_role("heading", name="What we keep without your name, and why")
    ).to_be_visible()
    check_page(page, "Delete your account")

    # Pressing the button without ticking the box: the error summary, focused, links to it.
    button = page.get_by_role("button", name="Delete my account")
    tab_to(page, button)
    page.keyboard.press("Enter")
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: Delete your account"))
    assert User.objects.filter(pk=learner.pk).exists()
    check_page(page, "Delete your account, with an error")

    tab_to(page, summary.get_by_role("link"))
    page.keyboard.press("Enter")
    checkbox = page.get_by_role("checkbox")
    expect(checkbox).to_be_focused()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Delete my account"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your account has been deleted")
    check_page(page, "Your account has been deleted")
    assert not User.objects.filter(pk=learner.pk).exists()
    # Signed out: the header offers signing in again.
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()
