"""Team self-assessments in a real browser: create a team, join it, and read its report.

Every page is scanned with axe at desktop width and again at 320px: the team page, the
create form and the join form with their errors, and the report below and above the
threshold of `MIN_GROUP_SIZE` members.
"""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Instrument, Team
from tests.assessments.factories import AGREEMENT, build_instrument, dimension, submit
from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team_instrument(site_home):
    return build_instrument(
        slug="team-safety",
        title="Team safety",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[
            dimension(
                "Safety",
                bands=[(4, 5, "High"), (3, "3.99", "Moderate"), (1, "2.99", "Low")],
            ),
            dimension("Learning", bands=[(1, "2.99", "Low"), (3, 5, "Good")]),
        ],
        sections=[
            (
                "Your team",
                [
                    ("It is safe to take a risk here.", "Safety"),
                    ("People here are blamed for mistakes.", "Safety", True),
                    ("We talk about what went wrong and change how we work.", "Learning"),
                ],
            )
        ],
    )


@pytest.fixture
def learner(db):
    return UserFactory(first_name="Priya", last_name="Shah")


@pytest.fixture
def signed_in(page, sign_in, learner, site_home):
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)
    return page


@pytest.fixture
def team(learner, team_instrument):
    return services.team_create(
        learner=learner, instrument=team_instrument, name="Riverside discharge team"
    )


def members_answer(team, instrument, count: int) -> None:
    for number in range(count):
        person = UserFactory()
        services.team_join(learner=person, code=team.join_code)
        submit(person, instrument, 2 + number % 3, team=team)


def test_creating_a_team_and_its_page_are_accessible(signed_in, team_instrument):
    page = signed_in
    page.goto(f"/assessments/{team_instrument.slug}/teams/new/")

    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a name for the team.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("alert")).to_contain_text("must be a real date")
    check_page(page, "create team form with errors")

    page.get_by_label("Team name").fill("Riverside discharge team")
    page.get_by_label("Day").fill("")
    page.get_by_label("Month").fill("")
    page.get_by_label("Year").fill("")
    page.get_by_role("button", name="Create team").click()

    expect(page.get_by_role("heading", level=1, name="Riverside discharge team")).to_be_visible()
    team = Team.objects.get()
    expect(page.get_by_text(f"/assessments/teams/join/{team.join_code}/")).to_be_visible()
    expect(page.get_by_role("button", name="Start answering")).to_be_visible()
    check_page(page, "team page")


def test_joining_with_a_wrong_code_is_accessible_and_a_link_then_works(
    page, sign_in, team, site_home
):
    colleague = UserFactory()
    sign_in(email=colleague.email, password=DEFAULT_PASSWORD)
    page.goto("/assessments/teams/join/")

    page.get_by_label("Join code").fill("WRONG123")
    page.get_by_role("button", name="Join team").click()

    expect(page.get_by_role("alert")).to_contain_text("That join code is not right.")
    expect(page.get_by_text("Riverside discharge team")).to_have_count(0)
    check_page(page, "join form with an error")

    page.goto(f"/assessments/teams/join/{team.join_code}/")
    expect(page.get_by_role("heading", level=1, name="Riverside discharge team")).to_be_visible()
    check_page(page, "join page for a team")
    page.get_by_role("button", name="Join team").click()

    expect(page.get_by_text("You are a member of Riverside discharge team.")).to_be_visible()
    assert team.members.filter(pk=colleague.pk).exists()


def test_the_report_below_the_threshold_is_accessible(signed_in, team, team_instrument):
    members_answer(team, team_instrument, 1)
    page = signed_in

    page.goto(f"/assessments/teams/{team.pk}/report/")

    expect(page.get_by_text("1 member has answered so far.")).to_be_visible()
    expect(
        page.get_by_text("2 more responses are needed before the report appears.")
    ).to_be_visible()
    expect(page.locator("main table")).to_have_count(0)
    check_page(page, "team report below the threshold")


def test_the_report_above_the_threshold_is_accessible(signed_in, team, team_instrument):
    members_answer(team, team_instrument, 4)
    page = signed_in

    page.goto(f"/assessments/teams/{team.pk}/report/")

    expect(page.get_by_text("Combined results from 4 members.")).to_be_visible()
    expect(page.get_by_role("table", name="Team scores by dimension")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Safety: "))).to_be_visible()
    expect(
        page.get_by_role("table", name=re.compile(r"^Question 1: It is safe to take a risk"))
    ).to_be_visible()
    check_page(page, "team report above the threshold")
