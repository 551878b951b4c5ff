"""Facilitator guides in a browser: a set's facilitator finds the guides, reads one, and
reaches a worksheet with the keyboard; axe finds nothing on the index or a guide."""

import re

import pytest
from playwright.sync_api import expect

from learning_sets.guide_demo import seed_guides
from learning_sets.models import LearningSet
from tests.browser.axe import check_page
from tests.browser.keyboard import tab_to
from tests.cohorts.factories import add_members, make_cohort, make_lead, with_role
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guides(site_home):
    return seed_guides(lambda message: None)


@pytest.fixture
def facilitator(site_home):
    person = with_role(UserFactory(first_name="Rowan", last_name="Facilitator"))
    cohort = make_cohort(lead=make_lead())
    add_members(cohort, [person])
    LearningSet.objects.create(cohort=cohort, name="Set A", facilitator=person)
    return person


def test_a_facilitator_reads_a_guide_and_reaches_a_worksheet_by_keyboard(
    page, guides, facilitator, sign_in
):
    sign_in(email=facilitator.email, password=DEFAULT_PASSWORD)

    page.goto(guides.url)
    expect(page.get_by_role("heading", level=1, name="Facilitator guides")).to_be_visible()
    expect(page.get_by_role("link", name="Café conversation")).to_be_visible()
    check_page(page, "the facilitator guides index")

    page.get_by_role("link", name="Running an action-learning set").click()
    expect(
        page.get_by_role("heading", level=1, name="Running an action-learning set")
    ).to_be_visible()
    expect(page.locator("[data-total-minutes]")).to_have_text("3 hours")
    expect(page.get_by_role("table", name="Steps and timings: 3 hours")).to_be_visible()
    check_page(page, "the action-learning set guide")

    worksheet = page.get_by_role("link", name=re.compile(r"^Learning-cycle log"))
    tab_to(page, worksheet, limit=200)
    expect(worksheet).to_be_focused()
    response = page.request.get(worksheet.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_the_series_guide_is_accessible(page, guides, facilitator, sign_in):
    sign_in(email=facilitator.email, password=DEFAULT_PASSWORD)

    page.goto(f"{guides.url}three-workshop-series/")

    expect(
        page.get_by_role("table", name=re.compile(r"^Workshop 2: Act and Observe"))
    ).to_be_visible()
    check_page(page, "the three-workshop series guide")


def test_an_anonymous_visitor_is_asked_to_sign_in(page, guides):
    page.goto(f"{guides.url}cafe-conversation/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign in"))
