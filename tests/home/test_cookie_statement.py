"""The cookie statement names every cookie the site sets, and only those.

A visitor walks the public pages, signs up with a mistake, signs in (which leaves a
message for the next page), uses the learner's and the account pages, and signs out; a
site admin walks the admin. Every Set-Cookie header on the way must name a cookie the
statement on the privacy notice lists. (Cookies set by JavaScript, such as the admin's
menu preference, are checked in tests/browser/test_privacy_notice.py.)
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from home.cookies import duration, site_cookies
from home.services import privacy_notice_ensure
from tests.factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture
def cookies_set(monkeypatch):
    """The name of every cookie any test-client response sets (or deletes)."""
    seen: set[str] = set()
    original = Client.request

    def request(self, **kwargs):
        response = original(self, **kwargs)
        seen.update(response.cookies.keys())
        return response

    monkeypatch.setattr(Client, "request", request)
    return seen


def listed_on_the_notice(client) -> set[str]:
    html = client.get("/privacy/").content.decode()
    statement = html[html.index('<h2 id="cookies">') :]
    return set(re.findall(r'<code class="lms-cookie-name">([^<]+)</code></th>', statement))


@pytest.mark.django_db
def test_every_cookie_set_while_using_the_site_is_in_the_statement(client, home_page, cookies_set):
    privacy_notice_ensure(home=home_page)
    listed = listed_on_the_notice(client)
    learner = UserFactory(first_name="Amara")
    admin = UserFactory(organisation=None)
    admin.groups.add(Group.objects.get(name="Site admin"))

    for path in ["/", "/privacy/", "/accounts/signup/", "/accounts/login/"]:
        assert client.get(path).status_code == 200, path
    client.post("/accounts/signup/", {"email": "not an email"})
    response = client.post(
        "/accounts/login/", {"login": learner.email, "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.context["user"] == learner
    for path in [
        "/learn/",
        "/learn/journal/",
        "/assessments/",
        "/cohorts/join/",
        "/accounts/profile/",
        "/accounts/email/",
        "/accounts/sessions/",
        "/accounts/2fa/",
    ]:
        assert client.get(path).status_code == 200, path
    client.post("/accounts/logout/", follow=True)

    client.post(
        "/accounts/login/",
        {"login": admin.email, "password": DEFAULT_PASSWORD, "remember": "on"},
        follow=True,
    )
    for path in ["/admin/", "/admin/pages/", "/admin/users/", "/privacy/"]:
        assert client.get(path).status_code == 200, path

    # The walk met the cookies it is meant to exercise, so the check below is not empty.
    assert {"sessionid", "csrftoken", "messages"} <= cookies_set
    unlisted = cookies_set - listed
    assert not unlisted, f"Cookies the statement does not list: {sorted(unlisted)}"


@pytest.mark.django_db
def test_the_statement_follows_the_cookie_settings(client, home_page, settings):
    settings.SESSION_COOKIE_NAME = "lt_session"
    settings.SESSION_COOKIE_AGE = 3 * 86400
    privacy_notice_ensure(home=home_page)

    html = client.get("/privacy/").content.decode()

    assert '<code class="lms-cookie-name">lt_session</code>' in html
    assert '<code class="lms-cookie-name">sessionid</code>' not in html
    assert "3 days." in html
    assert "mfa_trusted" not in html

    settings.MFA_TRUST_ENABLED = True
    assert "mfa_trusted" in {cookie.name for cookie in site_cookies()}


@pytest.mark.parametrize(
    ("seconds", "words"),
    [(1209600, "2 weeks"), (31449600, "1 year"), (86400 * 3, "3 days"), (600, "1 hour")],
)
def test_lifetimes_read_as_words(seconds, words):
    assert duration(seconds) == words
