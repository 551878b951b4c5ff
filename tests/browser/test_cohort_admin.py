"""A programme lead in the Wagtail admin, in a real browser: only the Cohorts menu, a
cohort created with the keyboard alone, and axe on the listing and the form with errors."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cohorts.models import Cohort
from tests.browser.axe import check_page
from tests.cohorts.factories import make_lead
from tests.factories import DEFAULT_PASSWORD
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


def programme_lead(**fields):
    """A lead, with the role's permissions as the migrations grant them (live-server tests
    empty every table between tests, groups included)."""
    lead_permissions.grant(apps, None)
    return make_lead(**fields)


def type_into(page, label: str, text: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.keyboard.press("Escape")  # close the date picker, if the field has one


def messages_settled(page) -> None:
    """Wait for Wagtail's messages to finish fading in: axe reads colours mid-fade as
    blends that fail contrast."""
    page.wait_for_function(
        """() => [...document.querySelectorAll('.messages > ul')]
            .every((list) => getComputedStyle(list).opacity === '1')"""
    )


def test_a_lead_creates_a_cohort_with_the_keyboard(page, site_home, sign_in):
    lead = programme_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")
    co_lead = programme_lead(first_name="Priya", last_name="Shah", email="priya@example.org")
    programme = ProgrammePageFactory(parent=site_home, title="Systems leadership")
    module = ModulePageFactory(parent=programme, title="Seeing the system")
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto("/admin/")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Cohorts")).to_be_visible()
    for hidden in ("Pages", "Images", "Documents", "Snippets", "Settings", "Reports", "Help"):
        expect(menu.get_by_role("link", name=hidden)).to_have_count(0)
        expect(menu.get_by_role("button", name=hidden)).to_have_count(0)
    # Their own account stays within reach.
    sidebar = page.get_by_role("complementary", name="Sidebar")
    sidebar.get_by_role("button", name="Tom").click()
    expect(sidebar.get_by_role("link", name="Account")).to_be_visible()
    expect(sidebar.get_by_role("button", name="Log out")).to_be_visible()

    menu.get_by_role("link", name="Cohorts").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Cohorts")).to_be_visible()
    page.get_by_role("link", name="Add cohort").focus()
    page.keyboard.press("Enter")

    # First with the dates the wrong way round.
    type_into(page, "Name*", "Northfield leaders 2026")
    type_into(page, "Start date", "2026-07-31")
    type_into(page, "End date", "2026-03-02")
    page.get_by_role("button", name="Create").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("The end date must be on or after the start date.")).to_be_visible()
    messages_settled(page)
    check_page(page, "cohort form with errors")
    assert not Cohort.objects.exists()

    type_into(page, "End date", "2026-12-18")
    type_into(page, "Description", "Leaders from health, council and voluntary sector.")
    page.get_by_label("Seeing the system").focus()
    page.keyboard.press("Space")
    page.get_by_label("Priya Shah (priya@example.org)").focus()
    page.keyboard.press("Space")
    type_into(page, "Most members", "40")
    page.get_by_role("button", name="Create").focus()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/admin/cohorts/$"))
    expect(page.get_by_text("Cohort 'Northfield leaders 2026' created.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Northfield leaders 2026")
    expect(row.get_by_role("cell", name="Priya Shah, Tom Gallagher")).to_be_visible()
    messages_settled(page)
    check_page(page, "cohort listing")

    cohort = Cohort.objects.get()
    assert list(cohort.modules.all()) == [module]
    assert set(cohort.leads.all()) == {lead, co_lead}
    assert cohort.capacity == 40


def test_the_edit_and_delete_pages_of_a_cohort_pass_axe(page, site_home, sign_in):
    from tests.cohorts.factories import make_cohort

    lead = programme_lead(email="lead@example.org")
    programme = ProgrammePageFactory(parent=site_home, title="Systems leadership")
    module = ModulePageFactory(parent=programme, title="Seeing the system")
    cohort = make_cohort(lead=lead, name="Northfield leaders", modules=[module])
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto(f"/admin/cohorts/edit/{cohort.pk}/")
    expect(page.get_by_role("textbox", name=re.compile(r"^Name"))).to_have_value(
        "Northfield leaders"
    )
    check_page(page, "cohort edit form")

    page.goto(f"/admin/cohorts/delete/{cohort.pk}/")
    expect(page.get_by_text(re.compile("Northfield leaders")).first).to_be_visible()
    check_page(page, "cohort delete confirmation")


def test_a_leads_admin_home_lists_their_cohorts_and_passes_axe(page, site_home, sign_in):
    from tests.cohorts.factories import make_cohort

    lead = programme_lead(email="lead@example.org")
    cohort = make_cohort(lead=lead, name="Northfield leaders")
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto("/admin/")
    panel = page.get_by_role("main")
    expect(panel.get_by_role("link", name="Northfield leaders")).to_have_attribute(
        "href", f"/admin/cohorts/{cohort.pk}/"
    )
    check_page(page, "a lead's admin home")
