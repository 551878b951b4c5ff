"""Taking a self-assessment in a real browser: axe scans of the list, an instrument's page and
its question pages (with and without the error summary), at 1280 and 320 pixels wide."""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Instrument, Response
from tests.assessments.factories import (
    AGREEMENT,
    build_instrument,
    dimension,
    keys_of,
    small_instrument,
)
from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def instrument(site_home):
    return small_instrument()


@pytest.fixture
def team_instrument(site_home):
    return build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[dimension("Safety", bands=[(3, 5, "Safe"), (1, "2.99", "Unsafe")])],
        sections=[("Your team", [("It is safe to take a risk here.", "Safety")])],
    )


@pytest.fixture
def learner(site_home):
    return UserFactory(first_name="Priya")


@pytest.fixture
def signed_in(page, sign_in, learner):
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)
    return page


def test_the_list_is_accessible_signed_out_and_in(
    page, sign_in, learner, instrument, team_instrument
):
    page.goto("/assessments/")
    expect(page.get_by_role("heading", level=1, name="Self-assessments")).to_be_visible()
    expect(page.get_by_role("link", name="Team check")).to_be_visible()
    check_page(page, "list of self-assessments, signed out")

    services.response_start(learner=learner, instrument=instrument)
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)
    page.goto("/assessments/")
    expect(page.get_by_role("link", name=re.compile(r"^Continue\s*: Team check"))).to_be_visible()
    check_page(page, "list of self-assessments, signed in")


def test_instrument_pages_are_accessible(signed_in, learner, instrument, team_instrument):
    page = signed_in
    page.goto("/assessments/team-check/")
    expect(page.get_by_role("heading", level=1, name="Team check")).to_be_visible()
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    check_page(page, "an individual instrument's page")

    services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    page.goto("/assessments/team-safety/")
    expect(page.get_by_role("link", name="Ward 7")).to_be_visible()
    expect(page.get_by_role("link", name="Create a team")).to_be_visible()
    check_page(page, "a team instrument's page")


def test_a_learner_answers_saves_and_sees_each_missing_question(signed_in, instrument):
    page = signed_in
    keys = keys_of(instrument)
    page.goto("/assessments/team-check/")
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", level=1, name="How we get on")).to_be_visible()
    expect(page.get_by_text("Section 1 of 2")).to_be_visible()
    expect(page.get_by_text("You have answered 0 of 6 questions")).to_be_visible()
    check_page(page, "the first question page")

    # Answer two of the three questions with the keyboard and the mouse, then go on.
    first = page.get_by_role("group", name=re.compile(r"1\. We admit our mistakes"))
    first.get_by_label("Usually").check()
    second = page.get_by_role("group", name=re.compile(r"2\. We argue about ideas"))
    second.get_by_label("Sometimes").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1, name="How we decide")).to_be_visible()
    expect(page.get_by_text("You have answered 2 of 6 questions")).to_be_visible()
    page.get_by_role("group", name=re.compile(r"4\. We say what we think")).get_by_label(
        "Rarely"
    ).check()
    page.get_by_role("button", name="Submit your answers").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(
        summary.get_by_role(
            "link", name="Answer question 3: We hide our weaknesses from each other."
        )
    ).to_be_visible()
    expect(
        page.get_by_role("group", name=re.compile(r"4\. We say what we think")).get_by_label(
            "Rarely"
        )
    ).to_be_checked()
    check_page(page, "the last question page with the error summary")

    # The link to a question on the first page opens it at that question, answers kept.
    summary.get_by_role("link", name=re.compile(r"^Answer question 3")).click()
    expect(page).to_have_url(re.compile(rf"/1/#item-{keys[2]}$"))
    expect(page.get_by_role("heading", level=1, name="How we get on")).to_be_visible()
    expect(first.get_by_label("Usually")).to_be_checked()
    expect(second.get_by_label("Sometimes")).to_be_checked()

    response = Response.objects.get()
    assert not response.is_submitted
    assert dict(Answer.objects.values_list("item_key", "value")) == {
        keys[0]: 3,
        keys[1]: 2,
        keys[3]: 1,
    }
