"""The "Coming up" panel on My learning and the calendar page, in a real browser: axe scans
both (at desktop width and at 320px), and a keyboard user gets a feed address, then a new
one with the reset button, and downloads a commitment's calendar file."""

import re
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import expect

from notifications.models import Preferences
from tests.browser.axe import check_page
from tests.browser.keyboard import tab_to
from tests.factories import DEFAULT_PASSWORD
from tests.notifications.conftest_calendars import build_world, commitment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(site_home):
    world = build_world()
    commitment(world.owner, due_in_days=-2)  # overdue: the panel marks it
    return world


def test_coming_up_and_the_calendar_page_by_keyboard(page, sign_in, world, tmp_path: Path):
    sign_in(email=world.owner.email, password=DEFAULT_PASSWORD)

    page.goto("/learn/")
    panel = page.get_by_role("region", name="Coming up")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("Overdue")).to_be_visible()
    expect(panel.get_by_role("link", name="Riverside set")).to_be_visible()
    check_page(page, "My learning with Coming up")

    link = panel.get_by_role("link", name="Add these dates to your calendar")
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your calendar")
    check_page(page, "Calendar page without a feed")

    get_feed = page.get_by_role("button", name="Get my feed address")
    tab_to(page, get_feed)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your calendar feed address is ready.")
    address = page.get_by_label("Your feed address")
    first = Preferences.objects.get(person=world.owner).calendar_token
    expect(address).to_have_value(re.compile(rf"/notifications/calendar/{first}\.ics$"))
    check_page(page, "Calendar page with a feed")

    reset = page.get_by_role("button", name="Get a new feed address")
    tab_to(page, reset)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("The old address no longer works.")
    second = Preferences.objects.get(person=world.owner).calendar_token
    assert second != first
    expect(page.get_by_label("Your feed address")).to_have_value(
        re.compile(rf"/notifications/calendar/{second}\.ics$")
    )

    download_link = page.get_by_role("link", name=re.compile("add to your calendar")).first
    with page.expect_download() as download_info:
        download_link.click()
    saved = tmp_path / "commitment.ics"
    download_info.value.save_as(saved)
    [event] = icalendar.Calendar.from_ical(saved.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Action commitment due")
