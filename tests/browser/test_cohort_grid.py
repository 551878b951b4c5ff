"""The learner grid in a real browser: the lead signs in, opens a cohort's learners,
filters them by organisation, downloads an XLSX and (for a cohort above the background
threshold) a CSV from the exports page, with axe on each page and no script errors."""

import importlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from cohorts.models import CohortExport
from tests.browser.axe import check_page
from tests.cohorts.factories import add_members, make_cohort, make_lead, progress
from tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


def programme_lead(**fields):
    """A lead, with the role's permissions as the migrations grant them (live-server tests
    empty every table between tests, groups included)."""
    lead_permissions.grant(apps, None)
    return make_lead(**fields)


@pytest.fixture
def demo(site_home):
    """The demo's shape in miniature: lead@example.org's cohort with members from four
    organisations and varied progress, and another lead's cohort beside it."""
    lead = programme_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")
    other_lead = programme_lead(first_name="Rhian", last_name="Evans", email="rhian@example.org")
    programme = ProgrammePageFactory(parent=site_home, title="Systems leadership")
    modules = [
        ModulePageFactory(parent=programme, title=title)
        for title in ("Seeing the system", "Leading without authority")
    ]
    cohort = make_cohort(lead=lead, name="Northfield leaders", modules=modules)
    organisations = {
        name: OrganisationFactory(name=name, type=kind)
        for name, kind in (
            ("Riverside NHS Trust", "nhs_trust"),
            ("Northfield City Council", "local_authority"),
            ("Harbour Housing", "housing"),
            ("Eastside Carers", "charity"),
        )
    }
    people = {
        first: UserFactory(first_name=first, last_name=last, organisation=organisations[org])
        for first, last, org in (
            ("Amira", "Khan", "Riverside NHS Trust"),
            ("Ben", "Okafor", "Riverside NHS Trust"),
            ("Chloe", "Price", "Northfield City Council"),
            ("Dev", "Patel", "Harbour Housing"),
            ("Erin", "Walsh", "Eastside Carers"),
        )
    }
    add_members(cohort, people.values())
    progress(people["Amira"], modules[0], done=3, total=3, completed_days_ago=2, minutes=40)
    progress(people["Chloe"], modules[0], done=1, total=3, minutes=12)
    progress(people["Chloe"], modules[1], done=2, total=2, completed_days_ago=5, minutes=20)
    other = make_cohort(lead=other_lead, name="Harbour compassionate leaders", modules=modules)
    add_members(other, [UserFactory(first_name="Zainab", last_name="Hidden")])
    return {"lead": lead, "cohort": cohort, "other": other}


def test_lead_filters_the_grid_by_organisation_and_downloads_exports(page, sign_in, demo, settings):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    cohort = demo["cohort"]
    sign_in(email="lead@example.org", password=DEFAULT_PASSWORD)

    page.goto(reverse("cohorts_admin:grid", args=[cohort.pk]))
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Seeing the system")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(6)
    chloe = table.get_by_role("row").filter(has_text="Chloe Price")
    expect(chloe.get_by_text("In progress")).to_be_visible()
    expect(chloe.get_by_text(re.compile(r"^Completed$"))).to_be_visible()
    expect(page.get_by_text("Zainab")).to_have_count(0)
    check_page(page, "learner grid")

    # Filter by organisation: open the filters with the keyboard, then choose from the list.
    page.get_by_role("button", name="Show filters").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Organisation").focus()
    page.keyboard.press("Enter")
    page.get_by_role("combobox", name="Organisation").select_option(label="Northfield City Council")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(page.get_by_role("table").get_by_text("Chloe Price")).to_be_visible()
    expect(page.get_by_role("table").get_by_text("Amira Khan")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"organisation=\d+"))
    page.keyboard.press("Escape")
    check_page(page, "learner grid filtered by organisation")

    # A small cohort downloads straight away, with every learner whatever the filter.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download XLSX").click()
    download = download_info.value
    assert re.fullmatch(
        r"northfield-leaders-learners-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename
    )
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    assert rows[0][:6] == (
        "Learner",
        "Email",
        "Organisation",
        "Organisation type",
        "Job role",
        "Cohort",
    )
    assert {row[2] for row in rows[1:]} == {
        "Riverside NHS Trust",
        "Northfield City Council",
        "Harbour Housing",
        "Eastside Carers",
    }
    assert "Zainab" not in str(rows)

    # Above the threshold, the file is prepared in the background and offered on the
    # exports page.
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 3
    page.get_by_role("button", name="Download CSV").click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Exports"))).to_be_attached()
    expect(page.get_by_text("Ready to download", exact=True)).to_be_visible()
    assert CohortExport.objects.get(cohort=cohort).rows == 5
    check_page(page, "cohort exports")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert content.startswith("Learner,Email,Organisation")
    assert len(content.strip().splitlines()) == 6
    assert "Zainab" not in content

    # The other lead's cohort is out of reach by any of these URLs.
    other = demo["other"]
    for name in ("grid", "exports"):
        response = page.goto(reverse(f"cohorts_admin:{name}", args=[other.pk]))
        assert response.status == 404
    assert errors == []
