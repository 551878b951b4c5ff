"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

They run with the rest of the suite (`make test`), or alone with `pytest -m browser`.
"""

import os
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to
# run inside one unless told that this is safe (it is, in tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Debian's package of Chromium's headless shell, the browser without its windowing layer,
# which is what Playwright itself runs headless; `make test` installs it if missing. The
# browser tests took 166 s with it on this 2-core machine, against 216 s with the full
# `chromium` in its headless mode.
CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # One renderer process for the live server's pages and the frames they embed, rather
    # than a process per site: the tests load nothing but the live server (the `context`
    # fixture refuses every other host), and Chromium then spent about a tenth less CPU.
    "--disable-site-isolation-trials",
    "--disable-features=site-per-process,IsolateOrigins",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium headless shell, never a browser downloaded by `playwright install`."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB", "timezone_id": "Europe/London"}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative `page.goto("/…")` calls go to the live server."""
    return live_server.url


@pytest.fixture
def context(context, live_server):
    """Keep the browser off the internet: anything not served by the live server fails.

    Tests stay hermetic and quick (the NHS.UK stylesheet asks assets.nhs.uk for its fonts,
    which would otherwise hold up every page load until the request times out).
    """
    live_host = urlsplit(live_server.url).netloc
    context.route(lambda url: urlsplit(url).netloc != live_host, lambda route: route.abort())
    return context


@pytest.fixture
def page(page):
    # Fail in seconds rather than after Playwright's default 30.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(20_000)
    return page


@pytest.fixture
def sign_in_with_the_form(page):
    """Sign in through the login form, as a person would, and land on the home page. For
    the tests of that journey itself (its policy, the cookies it sets); the tests of
    signing in and signing up drive the form themselves."""

    def sign_in(*, email: str, password: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(re.compile(r"^Email")).fill(email)
        page.get_by_label(re.compile(r"^password", re.IGNORECASE)).fill(password)
        page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        expect(page.get_by_role("link", name=re.compile(r"^Your profile"))).to_be_visible()

    return sign_in


@pytest.fixture
def sign_in(page, live_server):
    """Start a signed-in session for the browser without the form, which took about half
    a second a test: Django checks the email address and password (through allauth's
    backend, as the form does), makes the session, and the browser is given its cookie.
    The page stays where it was; the test opens the page it needs next."""

    def sign_in(*, email: str, password: str) -> None:
        client = Client()
        assert client.login(email=email, password=password), f"{email} could not sign in"
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.value,
                    "url": live_server.url,
                    "httpOnly": True,
                    "sameSite": "Lax",
                }
            ]
        )

    return sign_in
