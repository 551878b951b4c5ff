import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

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


def wagtail_root_ensure() -> Page:
    """Wagtail's root page and default locale, as its migrations create them."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _created = Locale.objects.get_or_create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    return root


@pytest.fixture
def site_home(transactional_db):
    """The site's home page, for tests that run against the live server.

    Those tests commit for real, so Django empties every table after each one, including
    the rows that migrations wrote (Wagtail's root page and locale). This puts back what
    the site needs and builds the home page, as the rest of the suite does.

    (`serialized_rollback=True` would be the stock answer, but it is unreliable here: once
    Playwright's event loop is running, the test sees a different connection object from
    the one that holds the serialized data, so nothing is restored when other database
    tests ran first.)
    """
    wagtail_root_ensure()
    return site_ensure_home(title="Lead and learn together", introduction="Modules for everyone.")
