"""Joining a cohort in a real browser, and a lead inviting by list: both scanned with axe."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from cohorts.models import Invitation, Membership
from tests.browser.axe import check_page
from tests.cohorts.factories import make_cohort, make_lead
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

lead_permissions = importlib.import_module("cohorts.migrations.0002_programme_lead_permissions")


def a_lead():
    """A programme lead with the role's permissions as the migrations grant them (live-server
    tests empty every table between tests, groups included)."""
    lead_permissions.grant(apps, None)
    return make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")


def test_a_learner_joins_by_link_after_a_wrong_code(page, site_home, sign_in):
    cohort = make_cohort(lead=a_lead(), name="Leading across Northfield")
    learner = UserFactory(first_name="Amira", email="amira@example.org")
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/cohorts/join/NOTACODE22/")
    expect(page.get_by_role("alert")).to_contain_text("That join code is not right.")
    check_page(page, "join page with an error")

    page.goto(f"/cohorts/join/{cohort.join_code}/")
    expect(page.get_by_role("heading", level=1, name="Leading across Northfield")).to_be_visible()
    check_page(page, "join page")
    page.get_by_role("button", name="Join cohort").click()

    expect(
        page.get_by_text("You are a member of the cohort Leading across Northfield.")
    ).to_be_visible()
    assert Membership.objects.filter(cohort=cohort, learner=learner).exists()


def test_a_lead_invites_a_list_and_sees_each_bad_row(page, site_home, sign_in):
    lead = a_lead()
    cohort = make_cohort(lead=lead, name="Leading across Northfield")
    UserFactory(email="dev.patel@example.org")
    sign_in(email=lead.email, password=DEFAULT_PASSWORD)

    page.goto(f"/admin/cohorts/{cohort.pk}/invite/")
    expect(page.get_by_label("Link to share")).to_have_value(
        re.compile(rf"/cohorts/join/{cohort.join_code}/$")
    )
    page.get_by_label("Email addresses").fill(
        "dev.patel@example.org\nnew.person@example.org\nsam@\nnew.person@example.org"
    )
    page.get_by_role("button", name="Invite").click()

    expect(page.get_by_text("Line 3: 'sam@' is not an email address.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Line 4: 'new\.person@example\.org' is a repeat"))
    ).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile(r"^Invited \(we are emailing")).get_by_role("cell")
    ).to_have_text("2")
    expect(page.get_by_role("row", name=re.compile(r"^new\.person@example\.org"))).to_contain_text(
        "Waiting for a reply"
    )
    check_page(page, "invite page with row errors")
    assert Invitation.objects.filter(email="new.person@example.org").exists()
    assert not Membership.objects.filter(cohort=cohort).exists()


def test_an_invited_learner_accepts_from_my_learning(page, site_home, sign_in):
    from cohorts import services

    lead = a_lead()
    cohort = make_cohort(lead=lead, name="Leading across Northfield")
    learner = UserFactory(first_name="Amira", email="amira@example.org")
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=[learner.email])
    sign_in(email=learner.email, password=DEFAULT_PASSWORD)

    page.goto("/learn/")
    expect(page.get_by_role("heading", level=2, name="Invitations")).to_be_visible()
    check_page(page, "my learning with an invitation")
    page.get_by_role("link", name="Leading across Northfield").click()
    expect(page.get_by_text("Tom Gallagher has invited you to join this cohort.")).to_be_visible()
    check_page(page, "invitation page")
    page.get_by_role("button", name="Accept and join").click()

    expect(
        page.get_by_text("You are a member of the cohort Leading across Northfield.")
    ).to_be_visible()
    assert Membership.objects.filter(cohort=cohort, learner=learner).exists()
