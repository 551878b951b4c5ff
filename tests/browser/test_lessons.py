"""Programmes, modules and lessons in a real browser: axe scans and a learner's answers.

The lesson tree comes from `build_module` (text, a reflection, an action commitment, a
two-item checklist, a knowledge check and a learning cycle in every lesson). Each
interactive block is wrapped in `<div id="block-<block id>">`, so the tests find a
block's fields and buttons inside its own container, by their labels and roles.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.modules.conftest import block_of, build_module

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFLECTION_TEXT = "The housing officer knew the family better than any of us."


def block(page, lesson, block_type: str):
    """The container of the lesson's first block of this type."""
    return page.locator(f"#block-{block_of(lesson, block_type).id}")


@pytest.fixture
def lesson_tree(site_home):
    return build_module(site_home, lessons=2)


@pytest.fixture
def lesson(lesson_tree):
    return lesson_tree[2][0]


@pytest.fixture
def learner(db):
    return UserFactory(first_name="Priya")


@pytest.fixture
def signed_in(page, sign_in, learner, site_home):
    """The learner, signed in (which lands on the home page, so that must exist first)."""
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)
    return page


# Accessibility --------------------------------------------------------------------------


def test_programme_page_is_accessible(page, lesson_tree):
    programme, module, _lessons = lesson_tree

    response = page.goto(programme.url)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name="Systems leadership")).to_be_visible()
    expect(page.get_by_role("link", name=module.title)).to_be_visible()
    check_page(page, "programme page")


def test_module_page_is_accessible_to_an_anonymous_visitor(page, lesson_tree):
    _programme, module, _lessons = lesson_tree

    response = page.goto(module.url)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name="Seeing the system")).to_be_visible()
    expect(page.get_by_role("link", name="Lesson 1")).to_be_visible()
    check_page(page, "module page (anonymous)")


def test_lesson_page_is_accessible_to_a_signed_in_learner(signed_in, lesson):
    page = signed_in

    response = page.goto(lesson.url)

    assert response.status == 200
    expect(page.get_by_role("heading", level=1, name="Lesson 1")).to_be_visible()
    expect(block(page, lesson, "reflection").get_by_label("Your reflection")).to_be_visible()
    check_page(page, "lesson page")


def test_lesson_page_with_an_error_is_accessible(signed_in, lesson):
    page = signed_in
    page.goto(lesson.url)
    reflection = block(page, lesson, "reflection")

    with page.expect_navigation():
        reflection.get_by_role("button", name="Save reflection").click()

    summary = reflection.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        summary.get_by_role("link", name="Write your reflection before you save it.")
    ).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="Your answer was not saved.")).to_be_visible()
    check_page(page, "lesson page with an empty reflection")


# The learner's journey -----------------------------------------------------------------


def test_learner_answers_a_lesson_and_finds_the_answers_again(signed_in, lesson):
    page = signed_in
    page.goto(lesson.url)
    expect(page.get_by_role("heading", level=1, name="Lesson 1")).to_be_visible()

    # A reflection, saved from the keyboard.
    reflection = block(page, lesson, "reflection")
    reflection.get_by_label("Your reflection").fill(REFLECTION_TEXT)
    save_reflection = reflection.get_by_role("button", name="Save reflection")
    save_reflection.focus()
    # Wait for the page after the post (and its redirect) to load before the next key press.
    with page.expect_navigation():
        save_reflection.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Your reflection is saved.")).to_be_visible()
    reflection = block(page, lesson, "reflection")
    expect(reflection.get_by_label("Your reflection")).to_have_value(REFLECTION_TEXT)
    expect(reflection.get_by_text(re.compile(r"^Saved on "))).to_be_visible()

    # One checklist item, ticked with the space bar.
    checklist = block(page, lesson, "checklist")
    first_item = checklist.get_by_role("checkbox", name="Agree why we are here")
    first_item.focus()
    expect(first_item).to_be_focused()
    page.keyboard.press("Space")
    expect(first_item).to_be_checked()
    with page.expect_navigation():
        checklist.get_by_role("button", name="Save checklist").click()
    expect(page.get_by_role("status").filter(has_text="Your checklist is saved.")).to_be_visible()
    checklist = block(page, lesson, "checklist")
    expect(checklist.get_by_text("1 of 2 ticked.")).to_be_visible()

    # The knowledge check: wrong first, then right.
    check = block(page, lesson, "knowledge_check")
    check.get_by_role("radio", name="Fixing a broken boiler").check()
    with page.expect_navigation():
        check.get_by_role("button", name="Check answer").click()
    check = block(page, lesson, "knowledge_check")
    expect(check.get_by_text(re.compile(r"Your last answer was not quite right"))).to_be_visible()
    expect(check.get_by_role("status")).to_contain_text("Tame.")
    expect(check.get_by_role("status")).to_contain_text("(1 attempt)")

    check.get_by_role("radio", name="Reducing loneliness").check()
    with page.expect_navigation():
        check.get_by_role("button", name="Check answer").click()
    check = block(page, lesson, "knowledge_check")
    expect(check.get_by_text("Your last answer was right.")).to_be_visible()
    expect(check.get_by_role("status")).to_contain_text("Wicked.")
    expect(check.get_by_role("status")).to_contain_text("(2 attempts)")
    expect(check.get_by_role("status")).not_to_contain_text("Tame.")

    # Everything is still there after a reload.
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Lesson 1")).to_be_visible()
    expect(block(page, lesson, "reflection").get_by_label("Your reflection")).to_have_value(
        REFLECTION_TEXT
    )
    checklist = block(page, lesson, "checklist")
    expect(checklist.get_by_role("checkbox", name="Agree why we are here")).to_be_checked()
    expect(
        checklist.get_by_role("checkbox", name="Invite people who use services")
    ).not_to_be_checked()
    check = block(page, lesson, "knowledge_check")
    expect(check.get_by_text("Your last answer was right.")).to_be_visible()
    expect(check.get_by_role("status")).to_contain_text("Reducing loneliness: Wicked.")
    # The saved-answer messages belong to the last request, not to the reload.
    expect(page.get_by_text("Your answer is recorded.")).to_have_count(0)


def test_anonymous_visitor_signs_in_and_lands_on_the_lesson(page, lesson, learner):
    page.goto(lesson.url)

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_label(re.compile(r"^Email")).fill(learner.email)
    password = page.get_by_label(re.compile(r"^password", re.IGNORECASE))
    password.fill(DEFAULT_PASSWORD)
    password.press("Enter")

    expect(page).to_have_url(re.compile(re.escape(lesson.url) + "$"))
    expect(page.get_by_role("heading", level=1, name="Lesson 1")).to_be_visible()
    expect(block(page, lesson, "reflection").get_by_label("Your reflection")).to_be_visible()
