"""The privacy notice in a browser: reachable from the footer, accessible, and its cookie
statement true of every cookie the browser ends up holding, JavaScript's included."""

import re

import pytest
from playwright.sync_api import expect

from home.services import privacy_notice_ensure
from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def statement_names(page) -> set[str]:
    page.goto("/privacy/")
    table = page.get_by_role("table", name="The cookies this site sets")
    return {name.strip() for name in table.locator("tbody th code").all_inner_texts()}


def test_the_notice_is_reached_from_the_footer_and_is_accessible(page, site_home):
    privacy_notice_ensure(home=site_home)
    page.goto("/accounts/signup/")

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()

    expect(page.get_by_role("heading", level=1, name="Privacy notice")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Cookies")).to_be_visible()
    check_page(page, "the privacy notice")


def test_the_browser_holds_no_cookie_the_statement_does_not_list(
    page, site_home, sign_in_with_the_form
):
    privacy_notice_ensure(home=site_home)
    listed = statement_names(page)
    admin = UserFactory(first_name="Ada", organisation=None, is_superuser=True)

    page.goto("/accounts/signup/")
    page.locator("main form").get_by_role("button", name=re.compile(r"^Create")).click()
    sign_in_with_the_form(email=admin.email, password=DEFAULT_PASSWORD)
    for path in ["/learn/", "/accounts/profile/", "/assessments/", "/admin/"]:
        page.goto(path)
    # The admin's menu remembers being made smaller in a cookie set by its JavaScript.
    page.get_by_role("button", name="Toggle sidebar").first.click()
    page.reload()

    held = {cookie["name"] for cookie in page.context.cookies()}
    assert {"sessionid", "csrftoken", "wagtail_sidebar_collapsed"} <= held
    unlisted = held - listed
    assert not unlisted, f"Cookies the statement does not list: {sorted(unlisted)}"
