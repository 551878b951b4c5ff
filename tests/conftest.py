import pytest
from django.core.cache import cache

from home.services import site_ensure_home
from tests.factories import DEFAULT_PASSWORD, OrganisationFactory, UserFactory


@pytest.fixture
def home_page(db):
    return site_ensure_home(title="Lead and learn together", introduction="Modules for everyone.")


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def learner(db, organisation):
    return UserFactory(organisation=organisation)


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture(autouse=True)
def clear_cache():
    """allauth's rate limits live in the cache; each test starts with none used."""
    cache.clear()
    yield
    cache.clear()
