"""core/audit.py: a registered model's log entries narrowed to the rows a user may see;
every other entry left as Wagtail decides."""

import pytest
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from accounts.admin_views import APPROVE_LOG_ACTION
from cohorts import services
from core.audit import restricted_log_entries
from tests.cohorts.factories import make_cohort, make_lead, make_site_admin
from tests.factories import OrganisationFactory


@pytest.fixture
def lead(db):
    return make_lead()


@pytest.fixture
def cohort(lead):
    return make_cohort(lead=lead, name="Leading across Northfield")


@pytest.fixture
def other_cohort(db):
    return make_cohort(lead=make_lead(), name="Harbour compassionate leaders")


@pytest.fixture
def site_admin(db):
    return make_site_admin()


def test_entries_about_a_registered_model_are_narrowed_and_others_kept(
    lead, cohort, other_cohort, site_admin
):
    services.cohort_access_record(user=lead, cohort=cohort, action=services.VIEW_ACTION)
    services.cohort_access_record(user=site_admin, cohort=other_cohort, action=services.VIEW_ACTION)
    organisation = OrganisationFactory(name="Harbour Housing")
    log(organisation, APPROVE_LOG_ACTION)

    labels = set(
        restricted_log_entries(ModelLogEntry.objects.all(), lead).values_list("label", flat=True)
    )

    assert labels == {cohort.name, organisation.name}


def test_nothing_is_narrowed_for_whoever_may_see_every_row(cohort, other_cohort, site_admin):
    entries = ModelLogEntry.objects.all()

    assert set(restricted_log_entries(entries, site_admin)) == set(entries)
    assert {entry.label for entry in entries} == {cohort.name, other_cohort.name}
