"""A team report with a combined score, in a real browser: the rule for banding a team's
mean is on the page, the combined score has its own bar and table row, and axe finds no
violation at desktop width or at 320px.

The rest of the combined-score tests are in tests/assessments/test_composites.py.
"""

import re

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Instrument
from tests.assessments.factories import USUALLY, build_instrument, composite, dimension, keys_of
from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BANDS = [(8, 9, "Probably a strength"), (6, 7, "Could be a problem"), (3, 5, "Needs attention")]


@pytest.fixture
def team_instrument(site_home):
    return build_instrument(
        slug="team-layers",
        title="Team layers check",
        kind=Instrument.Kind.TEAM,
        scale=USUALLY,
        dimensions=[
            dimension("Trust", rule="sum", bands=BANDS),
            dimension("Conflict", rule="sum", bands=BANDS),
        ],
        composites=[
            composite(
                "Overall",
                ["Trust", "Conflict"],
                bands=[(14, 18, "Strong"), (10, 13, "Mixed"), (6, 9, "Needs attention")],
            )
        ],
        sections=[
            (
                "Your team",
                [
                    ("We admit our mistakes to each other.", "Trust"),
                    ("We ask each other for help.", "Trust"),
                    ("We hide our weaknesses from each other.", "Trust", True),
                    ("We argue about ideas, not people.", "Conflict"),
                    ("We say what we think in meetings.", "Conflict"),
                    ("We avoid difficult topics.", "Conflict", True),
                ],
            )
        ],
    )


def test_a_team_report_with_a_combined_score_is_accessible(request, team_instrument):
    # The browser fixtures come from the import above, so ask for them by name.
    browser_page = request.getfixturevalue("page")
    log_in = request.getfixturevalue("sign_in")
    learner = UserFactory()
    team = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    # Trust 8, 8, 7 (mean 7.67, read as 8); Conflict 9 each; totals 17, 17, 16.
    for number, trust_third in enumerate([2, 2, 3]):  # the reverse-keyed third: 4 - keyed
        person = learner if number == 0 else UserFactory()
        if person != learner:
            services.team_join(learner=person, code=team.join_code)
        values = [3, 3, trust_third, 3, 3, 1]
        response = services.response_start(learner=person, instrument=team_instrument, team=team)
        services.response_submit(
            response=response, answers=dict(zip(keys_of(team_instrument), values, strict=True))
        )
    log_in(email=learner.email, password=DEFAULT_PASSWORD)

    browser_page.goto(f"/assessments/teams/{team.pk}/report/")

    expect(
        browser_page.get_by_role("heading", name="How the team's band is chosen")
    ).to_be_visible()
    expect(
        browser_page.get_by_role("img", name=re.compile(r"^Overall: 16\.7 out of 18 \(Strong\)"))
    ).to_be_visible()
    table = browser_page.get_by_role("table", name="Team scores by dimension")
    expect(table).to_contain_text("The sum of the scores for Trust and Conflict.")
    expect(table).to_contain_text("The mean counts as 8")
    check_page(browser_page, "team report with a combined score")


def test_a_result_with_a_combined_score_is_accessible(request, site_home):
    browser_page = request.getfixturevalue("page")
    log_in = request.getfixturevalue("sign_in")
    instrument = build_instrument(
        slug="own-layers",
        title="My layers check",
        scale=USUALLY,
        dimensions=[
            dimension("Trust", rule="sum", bands=BANDS),
            dimension("Conflict", rule="sum", bands=BANDS),
        ],
        composites=[
            composite(
                "Overall",
                ["Trust", "Conflict"],
                description="Both layers together.",
                bands=[(14, 18, "Strong"), (10, 13, "Mixed"), (6, 9, "Needs attention")],
            )
        ],
        sections=[
            ("Only", [("We trust each other.", "Trust"), ("We disagree well.", "Conflict")] * 3)
        ],
    )
    learner = UserFactory()
    for value in (2, 3):  # two attempts, so the page compares them
        response = services.response_start(learner=learner, instrument=instrument)
        response = services.response_submit(
            response=response, answers=dict.fromkeys(keys_of(instrument), value)
        )
    log_in(email=learner.email, password=DEFAULT_PASSWORD)

    browser_page.goto(response.get_absolute_url())

    expect(
        browser_page.get_by_text("The sum of the scores for Trust and Conflict.")
    ).to_be_visible()
    expect(
        browser_page.get_by_role("img", name="Overall: 18 out of 18 (Strong). Last time: 12")
    ).to_be_visible()
    check_page(browser_page, "result with a combined score")
