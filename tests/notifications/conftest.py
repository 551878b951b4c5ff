import pytest

from tests.assessments.conftest import team_instrument  # noqa: F401
from tests.cohorts.factories import make_cohort, make_lead
from tests.modules.factories import ModulePageFactory, ProgrammePageFactory


@pytest.fixture
def lead(db):
    return make_lead(first_name="Tom", last_name="Gallagher", email="lead@example.org")


@pytest.fixture
def modules(home_page):
    programme = ProgrammePageFactory(parent=home_page, title="Systems leadership")
    return [
        ModulePageFactory(parent=programme, title=title)
        for title in ("Seeing the system", "Leading without authority")
    ]


@pytest.fixture
def cohort(lead, modules):
    """A cohort with two modules and nobody in it yet; reminds after 7 days."""
    return make_cohort(lead=lead, modules=modules, name="Northfield leaders 2027")
