import pytest

from tests.factories import OrganisationFactory, UserFactory
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory

from .factories import add_members, make_cohort, make_lead, make_site_admin


@pytest.fixture
def lead(db):
    return make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")


@pytest.fixture
def other_lead(db):
    return make_lead(first_name="Rhian", last_name="Evans", email="other.lead@example.org")


@pytest.fixture
def site_admin(db):
    return make_site_admin(email="admin@example.org")


@pytest.fixture
def programme(home_page):
    return ProgrammePageFactory(parent=home_page, title="Systems leadership")


@pytest.fixture
def cohort_modules(programme):
    return [
        ModulePageFactory(parent=programme, title=title)
        for title in ("Seeing the system", "Leading without authority")
    ]


@pytest.fixture
def cohort(lead, cohort_modules):
    """A cohort led by `lead`, assigned two modules, with three members from two
    organisations (none has started)."""
    cohort = make_cohort(lead=lead, modules=cohort_modules)
    trust = OrganisationFactory(name="Riverside NHS Trust")
    council = OrganisationFactory(name="Northfield City Council", type="local_authority")
    add_members(
        cohort,
        [
            UserFactory(organisation=trust, first_name="Amira", last_name="Khan"),
            UserFactory(organisation=trust, first_name="Ben", last_name="Okafor"),
            UserFactory(organisation=council, first_name="Chloe", last_name="Price"),
        ],
    )
    return cohort


@pytest.fixture
def other_cohort(other_lead, cohort_modules):
    """Another lead's cohort, with one member nobody else should see."""
    cohort = make_cohort(
        lead=other_lead, name="Harbour compassionate leaders", modules=cohort_modules
    )
    add_members(cohort, [UserFactory(first_name="Zainab", last_name="Hidden")])
    return cohort
