"""A member's journey through their action learning set in a real browser: they accept the
ground rules (by keyboard), share a commitment they made in a lesson, download the next
meeting's calendar file, and check in on their commitment after the last meeting. The
facilitator schedules a meeting and records attendance. axe scans every page on the way,
at desktop width and at 320px, errors included.
"""

import re
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.keyboard import tab_to
from tests.factories import DEFAULT_PASSWORD
from tests.learning_sets.conftest_member import build_world
from tests.modules.conftest import block_of, build_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(site_home):
    world = build_world()
    # The member starts fresh: the ground rules are not accepted yet.
    world.learning_set.members.filter(learner=world.people["set member"]).update(
        ground_rules_accepted_at=None
    )
    return world


@pytest.fixture
def lesson(site_home):
    return build_module(site_home, lessons=1)[2][0]


def test_a_member_joins_shares_a_lesson_commitment_downloads_a_meeting_and_checks_in(
    page, sign_in, world, lesson
):
    amira = world.people["set member"]
    sign_in(email=amira.email, password=DEFAULT_PASSWORD)

    # A commitment made privately in a lesson.
    page.goto(lesson.url)
    action = page.locator(f"#block-{block_of(lesson, 'action_commitment').id}")
    action.get_by_label("What you will do").fill("Sit in on the Friday discharge huddle.")
    action.get_by_label("By when").fill("2027-03-26")
    with page.expect_navigation():
        action.get_by_role("button", name="Save action").click()
    expect(page.get_by_role("status").filter(has_text="Your action is saved.")).to_be_visible()

    # My learning links to the set; the set asks for the ground rules first.
    page.goto("/learn/")
    check_page(page, "My learning with a set")
    page.get_by_role("link", name="My learning sets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning sets")
    check_page(page, "My learning sets")
    page.get_by_role("link", name="Riverside set").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our ground rules")
    check_page(page, "Ground rules")

    accept = page.get_by_role("button", name="I accept the ground rules")
    tab_to(page, accept)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside set")
    check_page(page, "Set page")

    # Share the lesson's commitment, after trying with nothing selected.
    page.get_by_role("link", name="Share commitments you made in lessons").click()
    check_page(page, "Share from lessons")
    page.get_by_role("button", name="Share the ones selected").click()
    expect(page.get_by_role("alert")).to_contain_text("Select at least one commitment to share.")
    check_page(page, "Share from lessons with an error")
    choice = page.get_by_role("checkbox", name="Sit in on the Friday discharge huddle.")
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    page.get_by_role("button", name="Share the ones selected").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside set")
    expect(page.get_by_text("Plan: Sit in on the Friday discharge huddle.")).to_be_visible()

    # The next meeting, as a calendar file.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"^Add to your calendar \(\.ics\)")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    [event] = calendar.walk("VEVENT")
    assert event["UID"] == str(world.upcoming.uid)
    assert event["DTSTART"].params["TZID"] == "Europe/London"

    # After the last meeting: check in on the commitment.
    page.get_by_role("link", name=re.compile(r"^Check in on this commitment")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check in on your commitment")
    check_page(page, "Check-in")
    page.get_by_role("button", name="Save your check-in").click()
    expect(page.get_by_role("alert")).to_contain_text("Select how it went.")
    check_page(page, "Check-in with an error")
    page.get_by_role("radio", name="Partly").check()
    page.get_by_label("What did you do? (Act)").fill("Went to two of the huddles.")
    page.get_by_label("What did you notice? (Observe)").fill("Decisions waited on one form.")
    page.get_by_label("What did you learn? (Reflect)").fill("The form is the bottleneck.")
    page.get_by_label("What will you try next? (Plan)").fill("Ask who owns the form.")
    page.get_by_role("button", name="Save your check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside set")
    expect(page.get_by_text("Your check-in is saved. Your set can see it.")).to_be_visible()
    expect(page.get_by_text("The form is the bottleneck.")).to_be_visible()
    check_page(page, "Set page after checking in")


def test_the_members_other_pages_are_accessible(page, sign_in, world):
    amira = world.people["set member"]
    world.learning_set.members.filter(learner=amira).update(ground_rules_accepted_at=timezone.now())
    sign_in(email=amira.email, password=DEFAULT_PASSWORD)
    base = f"/sets/{world.learning_set.pk}"

    page.goto(f"{base}/challenge/")
    check_page(page, "Challenge")
    page.get_by_role("button", name="Save your challenge").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the challenge you are bringing.")
    check_page(page, "Challenge with an error")
    page.get_by_label("The challenge you are bringing").fill("Carers wait too long for news.")
    page.get_by_role("button", name="Save your challenge").click()
    expect(page.get_by_text("Carers wait too long for news.")).to_be_visible()

    page.goto(f"{base}/commitments/new/")
    check_page(page, "New commitment")
    page.get_by_label("What will you do?").fill("Phone two carers.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Share with your set").click()
    expect(page.get_by_role("alert")).to_contain_text("must be a real date")
    check_page(page, "New commitment with an error")
    page.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Share with your set").click()
    expect(page.get_by_text("Plan: Phone two carers.")).to_be_visible()

    page.get_by_role("link", name="Withdraw this commitment").click()
    check_page(page, "Withdraw a commitment")
    page.goto(f"{base}/leave/")
    check_page(page, "Leave the set")


def test_the_facilitator_schedules_a_meeting_and_records_attendance(page, sign_in, world):
    chloe = world.people["facilitator"]
    sign_in(email=chloe.email, password=DEFAULT_PASSWORD)
    page.goto(f"/sets/{world.learning_set.pk}/")
    check_page(page, "Set page for the facilitator")

    page.get_by_role("link", name="Schedule a meeting").click()
    check_page(page, "Schedule a meeting")
    page.get_by_label("Day").fill("29")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Start time").fill("1:30am")
    page.get_by_label(re.compile(r"^Place")).fill("Room 4, Northfield Library")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("alert")).to_contain_text("The clocks go forward on 29 March 2026")
    check_page(page, "Schedule a meeting with an error")
    page.get_by_label("Day").fill("4")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2031")
    page.get_by_label("Start time").fill("10am")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("Tuesday 4 November 2031, 10am")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Change the meeting on 4 November 2031")).click()
    check_page(page, "Change a meeting")
    page.goto(f"/sets/{world.learning_set.pk}/meetings/{world.upcoming.pk}/cancel/")
    check_page(page, "Cancel a meeting")

    page.goto(f"/sets/{world.learning_set.pk}/meetings/{world.past.pk}/attendance/")
    check_page(page, "Record attendance")
    page.get_by_role("checkbox", name="Amira Khan").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("1 member came")).to_be_visible()
