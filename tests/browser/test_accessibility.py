"""Every page a learner meets passes axe-core's WCAG 2.2 AA rules and reflows at 320px."""

import re

import pytest
from playwright.sync_api import expect

from home.services import privacy_notice_ensure
from tests.browser.axe import assert_no_axe_violations, check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIGN_UP_BUTTON = re.compile(r"^(sign up|create)", re.IGNORECASE)


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Lead and learn together"),
        ("/accounts/signup/", re.compile(r"sign up|create an account", re.IGNORECASE)),
        ("/accounts/login/", re.compile(r"sign in", re.IGNORECASE)),
        ("/privacy/", "Privacy notice"),
    ],
    ids=["home", "signup", "login", "privacy-notice"],
)
def test_public_page_is_accessible(page, site_home, path, heading):
    privacy_notice_ensure(home=site_home)  # so that its link is in the footer
    response = page.goto(path)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name=heading)).to_be_visible()
    check_page(page, path)


def test_signup_errors_are_accessible(page, site_home):
    page.goto("/accounts/signup/")
    page.locator("main form").get_by_role("button", name=SIGN_UP_BUTTON).click()

    # The form comes back with its errors (an error summary and messages by the fields).
    expect(page.get_by_text("Enter your first name.").first).to_be_visible()
    check_page(page, "sign-up form with errors")


def test_not_found_page_is_accessible(page, site_home):
    response = page.goto("/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1, name="Page not found")).to_be_visible()
    check_page(page, "404 page")


def test_bad_request_page_is_accessible(page, site_home):
    response = page.goto("/learn/?q=%00")

    assert response.status == 400
    expect(page.get_by_role("heading", level=1, name="Bad request")).to_be_visible()
    check_page(page, "400 page")


def submit_login(page, email: str = "someone@example.org"):
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label(re.compile(r"^password", re.IGNORECASE)).fill("wrong-password-1")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
    return navigation.value


def test_too_many_attempts_page_is_accessible(page, site_home, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    page.goto("/accounts/login/")
    submit_login(page)

    response = submit_login(page)

    assert response.status == 429
    expect(page.get_by_role("heading", level=1, name="Too many attempts")).to_be_visible()
    check_page(page, "429 page")


def test_csrf_failure_page_is_accessible(page, context, site_home):
    page.goto("/accounts/login/")
    context.clear_cookies()

    response = submit_login(page)

    assert response.status == 403
    expect(page.get_by_role("heading", level=1, name="Your form could not be sent")).to_be_visible()
    check_page(page, "CSRF failure page")


def test_profile_page_is_accessible(page, site_home, sign_in):
    learner = UserFactory(first_name="Priya")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    response = page.goto("/accounts/profile/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "profile page")


def test_the_scanner_reports_a_violation(page):
    """Guards against a scan that passes because axe never ran."""
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Broken</title></head>'
        '<body><main><h1>Broken</h1><img src="data:,"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page, context="a page with an unlabelled image")

    assert "image-alt (critical)" in str(failure.value)
    assert "at img" in str(failure.value)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/2fa/",
        "/accounts/sessions/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/accounts/data/",
    ],
)
def test_account_management_pages_are_accessible(page, site_home, sign_in, path):
    learner = UserFactory(first_name="Kiran")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    response = page.goto(path)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    check_page(page, path)


@pytest.mark.parametrize("path", ["/accounts/password/reset/", "/accounts/password/reset/done/"])
def test_password_reset_pages_are_accessible(page, site_home, path):
    response = page.goto(path)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    check_page(page, path)


def test_journal_and_search_pages_are_accessible(page, site_home, sign_in):
    from modules import services
    from tests.modules.conftest import block_of, build_module

    _programme, module, (lesson, *_rest) = build_module(site_home, lessons=1)
    learner = UserFactory(first_name="Isla")
    services.journal_entry_save(
        learner=learner,
        lesson=lesson,
        module=module,
        block_id=block_of(lesson, "reflection").id,
        kind="reflection",
        prompt="When did a partner surprise you?",
        text="When the housing team came to our huddle.",
    )
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    for path in ["/learn/journal/", "/learn/search/?q=stakeholder", "/learn/search/?q=zzzz"]:
        response = page.goto(path)
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        check_page(page, path)


def test_the_admin_is_for_staff_page_is_accessible(page, site_home, sign_in):
    learner = UserFactory(first_name="Noor")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    response = page.goto("/admin/pages/")

    assert response.status == 403
    assert page.url.endswith("/admin/pages/")
    expect(page.get_by_role("heading", level=1, name="The admin is for staff")).to_be_visible()
    expect(page.get_by_role("link", name="Go to My learning")).to_be_visible()
    check_page(page, "the admin is for staff page")
