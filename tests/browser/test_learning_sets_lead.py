"""A programme lead forms action-learning sets in a real browser: from the cohort's
dashboard to the set overview, a suggestion previewed and created, one person moved with
the keyboard alone, a facilitator chosen, and axe on every page on the way."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from learning_sets.models import LearningSet, SetMember
from tests.browser.axe import check_page
from tests.cohorts.factories import add_members, make_cohort, make_lead
from tests.factories import DEFAULT_PASSWORD
from tests.learning_sets.factories import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


def messages_settled(page) -> None:
    """Wait for Wagtail's messages to finish fading in (axe reads mid-fade colours)."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.messages > ul')]
            .every((list) => getComputedStyle(list).opacity === '1')"""
    )


def press(page, locator, key: str = "Enter") -> None:
    locator.focus()
    page.keyboard.press(key)


def test_a_lead_suggests_sets_and_moves_someone(page, site_home, sign_in):
    lead_permissions.grant(apps, None)
    lead = make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")
    cohort = make_cohort(lead=lead, name="Northfield leaders")
    people = make_people(9, organisations=3)
    add_members(cohort, people)
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto(f"/admin/cohorts/{cohort.pk}/")
    press(
        page, page.get_by_role("navigation", name="Cohort pages").get_by_role("link", name="Sets")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Action-learning sets")
    expect(page.get_by_text("This cohort has no sets yet.")).to_be_visible()
    check_page(page, "set overview, no sets yet")

    press(page, page.get_by_role("link", name="Suggest sets"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Suggest sets")
    tables = page.locator("[data-planned-set]")
    expect(tables).to_have_count(2)  # nine people in sets of 4 to 8: 5 and 4
    check_page(page, "suggested sets")
    assert not LearningSet.objects.exists()

    press(page, page.get_by_role("button", name="Create these sets"))
    expect(page.get_by_text("2 sets created.")).to_be_visible()
    messages_settled(page)
    check_page(page, "set overview with two sets")
    assert SetMember.objects.filter(cohort=cohort).count() == 9

    # Move one person from Set 1 to Set 2, with the keyboard alone.
    mover = SetMember.objects.filter(learning_set__name="Set 1").select_related("learner").first()
    name = mover.learner.get_full_name()
    person = page.locator("#move_person")
    person.focus()
    person.select_option(value=str(mover.learner.pk))
    page.keyboard.press("Tab")
    expect(page.locator("#move_destination")).to_be_focused()
    page.locator("#move_destination").select_option(label="Set 2")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Move", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text(f"{name} is in Set 2 now.")).to_be_visible()
    second = page.locator('[data-set="Set 2"]')
    expect(second.get_by_role("cell", name=name, exact=True)).to_be_visible()
    messages_settled(page)
    check_page(page, "set overview after a move")
    assert SetMember.objects.get(learner=mover.learner).learning_set.name == "Set 2"

    # A move with nothing chosen: the error summary, then the facilitator form.
    page.goto(f"/admin/cohorts/{cohort.pk}/sets/move/")
    press(page, page.get_by_role("button", name="Move", exact=True))
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_page(page, "move form with errors")

    set_two = LearningSet.objects.get(name="Set 2")
    page.goto(f"/admin/cohorts/{cohort.pk}/sets/{set_two.pk}/facilitator/")
    check_page(page, "facilitator form")
    page.locator("#id_facilitator").select_option(value=str(mover.learner.pk))
    press(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text(f"{name} facilitates Set 2 now.")).to_be_visible()

    for path, label in [
        (f"/admin/cohorts/{cohort.pk}/sets/add/", "add a set"),
        (f"/admin/cohorts/{cohort.pk}/sets/{set_two.pk}/rename/", "rename a set"),
        (f"/admin/cohorts/{cohort.pk}/sets/{set_two.pk}/delete/", "delete a set"),
    ]:
        page.goto(path)
        check_page(page, label)
