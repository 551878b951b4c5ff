import logging

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
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


def run_on_commit_since(start: int, using: str = DEFAULT_DB_ALIAS) -> None:
    """Run the on-commit callbacks registered since `start` (and any they register), then
    forget them, as a real commit would."""
    connection = connections[using]
    while len(connection.run_on_commit) > start:
        pending = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback, robust in pending:
            if not robust:
                callback()
                continue
            try:
                callback()
            except Exception:
                logging.getLogger(__name__).exception("on_commit callback failed")


@pytest.fixture
def mailoutbox(mailoutbox, monkeypatch):
    """pytest-django's outbox, with each test-client request committing as it does on the
    site.

    Every email leaves through `transaction.on_commit` (`core.mail`), and a database test
    runs inside one transaction that never commits. So the callbacks a request registered
    run when it answers, as the request's own commit would run them, and are then
    forgotten. Anything done outside a request (a service called directly) still waits for
    `django_capture_on_commit_callbacks`.
    """
    original = Client.request

    def request(self, **kwargs):
        start = len(connections[DEFAULT_DB_ALIAS].run_on_commit)
        response = original(self, **kwargs)
        run_on_commit_since(start)
        return response

    monkeypatch.setattr(Client, "request", request)
    return mailoutbox


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
