"""A programme lead's cohort dashboard in a real browser: the figures, the charts' text
alternatives and axe at both widths, for a cohort with progress and for an empty one."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from assessments import services as assessment_services
from tests.assessments.factories import small_instrument, submit
from tests.browser.axe import check_page
from tests.cohorts.factories import add_members, make_cohort, make_lead, progress
from tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


def programme_lead():
    """A lead, with the role's permissions as the migrations grant them (live-server tests
    empty every table between tests, groups included)."""
    lead_permissions.grant(apps, None)
    return make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")


def cohort_with_progress(lead, home):
    programme = ProgrammePageFactory(parent=home, title="Systems leadership")
    first, second = (
        ModulePageFactory(parent=programme, title=title)
        for title in ("Seeing the system", "Leading without authority")
    )
    cohort = make_cohort(lead=lead, modules=[first, second])
    trust = OrganisationFactory(name="Riverside NHS Trust")
    council = OrganisationFactory(name="Northfield City Council", type="local_authority")
    members = [
        UserFactory(organisation=trust, first_name="Amira", last_name="Khan"),
        UserFactory(organisation=trust, first_name="Ben", last_name="Okafor"),
        UserFactory(organisation=council, first_name="Chloe", last_name="Price"),
    ]
    add_members(cohort, members)
    progress(members[0], first, done=3, total=3, completed_days_ago=2)
    progress(members[0], second, done=2, total=2, completed_days_ago=1)
    progress(members[1], first, done=1, total=3)
    instrument = small_instrument()
    for value, member in zip((3, 2, 1), members, strict=True):
        response = submit(member, instrument, value)
        if member is members[0]:
            assessment_services.response_share(learner=member, response=response, shared=True)
    return cohort


def test_a_lead_reads_the_dashboard_of_a_cohort_with_progress(page, site_home, sign_in):
    lead = programme_lead()
    cohort = cohort_with_progress(lead, site_home)
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto(f"/admin/cohorts/{cohort.pk}/")

    expect(page.get_by_role("heading", level=2, name="At a glance")).to_be_visible()
    expect(page.locator("[data-figure=members] .lms-dash__number")).to_have_text("3")
    expect(page.locator("[data-figure=started] .lms-dash__number")).to_have_text("2")
    expect(page.locator("[data-figure=completed] .lms-dash__number")).to_have_text("1")
    organisations = page.get_by_role("table", name="Members, started and completed by organisation")
    expect(organisations.get_by_role("row", name="Riverside NHS Trust")).to_contain_text("50%")
    expect(
        page.get_by_role("img", name="Seeing the system: 1 completed, 1 in progress, 1 not started")
    ).to_be_visible()
    expect(page.get_by_role("table", name="Modules completed per week")).to_be_visible()
    expect(page.get_by_text("from 3 responses")).to_be_visible()
    shared = page.get_by_role("table", name="Results members shared with their cohort leads")
    expect(shared.get_by_role("row", name="Amira Khan")).to_contain_text(
        "Trust: 7 (Could be a problem)"
    )
    expect(page.get_by_role("navigation", name="Cohort pages")).to_contain_text("Learners")
    check_page(page, "cohort dashboard")


def test_an_empty_cohort_says_what_to_do_next(page, site_home, sign_in):
    lead = programme_lead()
    cohort = make_cohort(lead=lead, name="Harbour compassionate leaders")
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto(f"/admin/cohorts/{cohort.pk}/")

    expect(page.get_by_text("Nobody has joined this cohort yet.")).to_be_visible()
    expect(page.get_by_text("No modules are assigned to this cohort yet")).to_be_visible()
    expect(page.get_by_text("No member has submitted a self-assessment yet.")).to_be_visible()
    check_page(page, "empty cohort dashboard")
