"""A learner takes the strengths self-profile twice and sees how they have changed."""

import re

import pytest
from playwright.sync_api import expect

from assessments.demo_content import load_instruments
from assessments.models import Instrument, Response
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shipped(slug: str) -> Instrument:
    spec = next(spec for spec in load_instruments() if spec.slug == slug)
    instrument = Instrument(**spec.fields, live=False)
    instrument.full_clean()
    instrument.save()
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    return instrument


def answer_every_section(page, label: str, *, keyboard_first: bool = False) -> None:
    """Choose `label` for every question, section by section, then submit."""
    while True:
        fieldsets = page.locator("form fieldset")
        for index in range(fieldsets.count()):
            option = fieldsets.nth(index).get_by_label(label, exact=True)
            if keyboard_first and index == 0:
                option.focus()
                page.keyboard.press("Space")
                expect(option).to_be_checked()
            else:
                option.check()
        submit = page.get_by_role("button", name="Submit your answers")
        if submit.count():
            submit.focus()
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        with page.expect_navigation():
            page.get_by_role("button", name="Save and continue").click()


def test_learner_takes_the_strengths_profile_twice_and_sees_the_change(page, site_home, sign_in):
    instrument = shipped("strengths-self-profile")
    questionnaire = instrument.questionnaire()
    # A strength with no reverse-keyed question moves by exactly the change in the answers.
    plain = next(
        dimension
        for dimension in questionnaire.definition.dimensions
        if not any(item.reverse for item in questionnaire.definition.items_of(dimension))
    )
    learner = UserFactory(first_name="Isla", last_name="Morgan")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto(instrument.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Start").click()
    expect(page.get_by_text(re.compile(r"Section 1 of 4"))).to_be_visible()
    answer_every_section(page, "Neither accurate nor inaccurate", keyboard_first=True)

    expect(page.get_by_role("heading", level=1)).to_contain_text(instrument.title)
    expect(page.get_by_role("heading", name="Your top five")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Last time you scored"))).to_have_count(0)

    page.goto(instrument.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Start again").click()
    answer_every_section(page, "Mostly accurate")

    responses = Response.objects.submitted().filter(learner=learner, instrument=instrument)
    assert responses.count() == 2
    expect(page.get_by_role("columnheader", name="Change").first).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Last time you scored 3\. Change: \+1")).first
    ).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile(rf"{plain.name} over 2 attempts: 3, 4"))
    ).to_be_visible()
