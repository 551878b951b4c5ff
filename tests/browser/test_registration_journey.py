"""A newcomer signs up, confirms their email address and is welcomed by name."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRONG_PASSWORD = "Lantern-orchard-47-sparrow"
# Labels as a person reads them, tolerant of wording ("Password" or "Create a password",
# "Password (again)" or "Enter the password again").
PASSWORD = re.compile(r"^(?!.*again)(create a )?password\b", re.IGNORECASE)
PASSWORD_AGAIN = re.compile(r"password.*again", re.IGNORECASE)
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/\S+")


def confirmation_path(mailoutbox, email: str) -> str:
    messages = [message for message in mailoutbox if email in message.to]
    assert len(messages) == 1, f"expected one email to {email}, got {len(messages)}"
    match = CONFIRM_LINK.search(messages[0].body)
    assert match, f"no confirmation link in:\n{messages[0].body}"
    return urlsplit(match.group()).path


def test_sign_up_confirm_email_and_sign_in(page, site_home, mailoutbox):
    organisation = OrganisationFactory(name="Riverside Health and Care Partnership")

    page.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    page.get_by_label(re.compile(r"^First name")).fill("Amara")
    page.get_by_label(re.compile(r"^Last name")).fill("Okafor")
    page.get_by_label(re.compile(r"^Email")).fill("amara.okafor@example.org")
    # The search box narrows the list; one match is chosen for the person.
    page.get_by_label("Search for your organisation").fill("riverside partnership")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"1 match"))
    expect(page.get_by_label(re.compile(r"^Organisation"))).to_have_value(str(organisation.pk))
    page.get_by_label(re.compile(r"^Job role")).fill("Ward manager")
    page.get_by_label(PASSWORD).fill(STRONG_PASSWORD)
    again = page.get_by_label(PASSWORD_AGAIN)
    again.fill(STRONG_PASSWORD)
    again.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"(verify|check) your email", re.IGNORECASE)
    )
    learner = User.objects.get(email="amara.okafor@example.org")
    assert (learner.first_name, learner.last_name) == ("Amara", "Okafor")
    assert learner.organisation == organisation
    assert learner.job_role == "Ward manager"

    page.goto(confirmation_path(mailoutbox, "amara.okafor@example.org"))
    page.get_by_role("button", name=re.compile(r"^confirm", re.IGNORECASE)).click()
    page.wait_for_url(lambda url: "/accounts/confirm-email/" not in url)

    # Sign out, then sign in again with the keyboard alone, as the verified learner.
    page.goto("/accounts/logout/")
    page.get_by_role("button", name=re.compile(r"^Sign out", re.IGNORECASE)).press("Enter")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Sign in")).to_be_visible()
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^Email")).fill("amara.okafor@example.org")
    password = page.get_by_label(re.compile(r"^password", re.IGNORECASE))
    password.fill(STRONG_PASSWORD)
    password.press("Enter")

    expect(page.get_by_role("link", name=re.compile(r"^Your profile"))).to_have_accessible_name(
        re.compile(r"Amara Okafor")
    )
    # Signing in lands on My learning, the learner's home; the home page greets them too.
    expect(page).to_have_url(re.compile(r"/learn/$"))
    page.goto("/")
    expect(page.get_by_text("Welcome back, Amara.")).to_be_visible()
    assert learner.emailaddress_set.get(email="amara.okafor@example.org").verified
