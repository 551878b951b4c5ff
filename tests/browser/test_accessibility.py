"""Every page a learner meets passes axe-core's WCAG 2.2 AA rules and reflows at 320px."""

import re

import pytest

from tests.browser.axe import assert_no_axe_violations, assert_no_horizontal_scroll
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SIGN_UP_BUTTON = re.compile(r"^(sign up|create)", re.IGNORECASE)


def check_page(page, name: str) -> None:
    """axe at the default desktop size, then the 320px reflow check."""
    assert_no_axe_violations(page, context=name)
    assert_no_horizontal_scroll(page, width=320, context=name)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Lead and learn together"),
        ("/accounts/signup/", re.compile(r"sign up|create an account", re.IGNORECASE)),
        ("/accounts/login/", re.compile(r"sign in", re.IGNORECASE)),
    ],
    ids=["home", "signup", "login"],
)
def test_public_page_is_accessible(page, site_home, path, heading):
    response = page.goto(path)

    assert response.status == 200
    assert page.get_by_role("heading", level=1, name=heading).is_visible()
    check_page(page, path)


def test_signup_errors_are_accessible(page, site_home):
    page.goto("/accounts/signup/")
    page.locator("main form").get_by_role("button", name=SIGN_UP_BUTTON).click()

    # The form comes back with its errors (an error summary and messages by the fields).
    page.wait_for_load_state()
    assert page.get_by_text("Enter your first name.").first.is_visible()
    check_page(page, "sign-up form with errors")


def test_not_found_page_is_accessible(page, site_home):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    assert page.get_by_role("heading", level=1, name="Page not found").is_visible()
    check_page(page, "404 page")


def test_profile_page_is_accessible(page, site_home, sign_in):
    learner = UserFactory(first_name="Priya")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    response = page.goto("/accounts/profile/")

    assert response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    check_page(page, "profile page")
