"""Self-assessment results in a real browser: comparison, sharing, the PDF and the history.

Each page is scanned with axe at 1280px and again at 320px, where it must also reflow
without scrolling sideways: a result compared with an earlier attempt, the history with
an attempt in progress, and a strengths profile's ranked top five.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments import services
from tests.assessments.factories import AGREEMENT, build_instrument, dimension, submit
from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def listening_check():
    """Three dimensions of two agreement questions, scored as means with two bands."""
    bands = [
        (1, "2.99", "Early days", "<p>Try one small listening habit this week.</p>"),
        (3, 5, "Established", "<p>Keep it up, and help a colleague do the same.</p>"),
    ]
    return build_instrument(
        slug="listening-check",
        title="Compassionate leadership check",
        scale=AGREEMENT,
        dimensions=[
            dimension("Attending", bands=bands),
            dimension("Understanding", bands=bands),
            dimension("Helping", bands=bands),
        ],
        sections=[
            (
                "How you lead",
                [
                    ("I give people my full attention.", "Attending"),
                    ("I ask about the pressures people face.", "Understanding"),
                    ("I act to remove obstacles for people.", "Helping"),
                    ("I put my phone away when someone talks to me.", "Attending"),
                    ("I check I have understood before I respond.", "Understanding"),
                    ("I follow up on what I said I would do.", "Helping"),
                ],
            )
        ],
    )


def strengths_profile():
    names = ["Focus", "Empathy", "Harmony", "Learner", "Arranger", "Includer", "Activator"]
    return build_instrument(
        slug="strengths-self-profile",
        title="Strengths self-profile",
        scale=AGREEMENT,
        show_ranking=True,
        dimensions=[dimension(name, rule="mean") for name in names],
        sections=[("About you", [(f"I notice {name.lower()} in my day.", name) for name in names])],
    )


def test_learner_compares_attempts_shares_a_result_and_keeps_a_copy(page, site_home, sign_in):
    learner = UserFactory(first_name="Femi", last_name="Adeyemi")
    instrument = listening_check()
    # Attending 2.5 then 4 (+1.5); Understanding 4 then 3.5 (−0.5); Helping 3 both times.
    first = [2, 4, 3, 3, 4, 3]
    second = [4, 3, 3, 4, 4, 3]
    submit(learner, instrument, lambda index, key: first[index])
    latest = submit(learner, instrument, lambda index, key: second[index])
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto(f"/assessments/results/{latest.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Compassionate leadership check")
    main = page.locator("main")
    expect(main.get_by_text("Last time you scored 2.5. Change: +1.5 (up 1.5).")).to_be_visible()
    expect(
        main.get_by_text("Last time you scored 4. Change: \u22120.5 (down 0.5).")
    ).to_be_visible()
    expect(main.get_by_text("Last time you scored 3: no change.")).to_be_visible()
    expect(
        page.get_by_role("img", name="Attending: 4 out of 5 (Established). Last time: 2.5")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Your scores over time")).to_be_visible()
    expect(page.get_by_role("img", name="Attending over 2 attempts: 2.5, 4")).to_be_visible()
    check_page(page, "result with comparison")

    # Share with the keyboard alone.
    checkbox = page.get_by_role("checkbox", name="Share this result with the leads of my cohorts")
    expect(checkbox).not_to_be_checked()
    checkbox.focus()
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save sharing choice")).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(
        page.get_by_role("status").filter(
            has_text="This result is now shared with the leads of your cohorts."
        )
    ).to_be_visible()
    expect(checkbox).to_be_checked()
    latest.refresh_from_db()
    assert latest.shared_with_leads is True

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    assert download.suggested_filename.startswith("compassionate-leadership-check-")
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="See all your results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment results")


def test_history_and_a_ranked_result_are_accessible(page, site_home, sign_in):
    learner = UserFactory()
    check = listening_check()
    strengths = strengths_profile()
    submit(learner, check, 3)
    # Means: Arranger 5, Empathy 4, the rest 3 (ties in the editor's order), Includer 1.
    values = {"Empathy": 4, "Arranger": 5, "Includer": 1}
    names = ["Focus", "Empathy", "Harmony", "Learner", "Arranger", "Includer", "Activator"]
    profile = submit(learner, strengths, lambda index, key: values.get(names[index], 3))
    services.response_start(learner=learner, instrument=check)  # a retake in progress
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/assessments/results/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment results")
    expect(page.get_by_role("heading", name="In progress")).to_be_visible()
    expect(page.get_by_text("Top strengths: Arranger, Empathy, Focus")).to_be_visible()
    check_page(page, "results history")

    page.get_by_role("link", name=re.compile(r"^View result for Strengths self-profile")).click()
    expect(page).to_have_url(re.compile(rf"/assessments/results/{profile.pk}/$"))
    top_five = page.locator("ol.nhsuk-list--number > li")
    expect(top_five).to_have_count(5)
    expect(top_five.nth(0)).to_contain_text("Arranger")
    expect(top_five.nth(1)).to_contain_text("Empathy")
    expect(top_five.nth(2)).to_contain_text("Focus")
    expect(top_five.nth(3)).to_contain_text("Harmony")
    expect(top_five.nth(4)).to_contain_text("Learner")
    check_page(page, "ranked result")
