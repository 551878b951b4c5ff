"""Sign-in rate limits count the client's address, read from X-Forwarded-For as far as
the site's own proxies vouch for it, and refuse with the site's styled 429 page."""

import pytest

from tests.factories import UserFactory

LOGIN_URL = "/accounts/login/"
# allauth's default: 30 sign-in attempts a minute from one address, then a 429 (failures
# beyond 10 a minute are already refused in the form).
ATTEMPTS_PER_ADDRESS = 30


def fail_sign_in(client, number: int, forwarded_for: str):
    return client.post(
        LOGIN_URL,
        # A different account each time, so that only the per-address limit can bite.
        {"login": f"someone{number}@example.org", "password": "wrong-password-1"},
        headers={"x-forwarded-for": forwarded_for},
        REMOTE_ADDR="10.0.0.1",  # the proxy, the same for everyone
    )


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def exhaust(client, forwarded_for: str) -> None:
    for number in range(ATTEMPTS_PER_ADDRESS):
        assert fail_sign_in(client, number, forwarded_for).status_code == 200


@pytest.mark.django_db
def test_behind_a_proxy_each_client_address_is_limited_on_its_own(
    client, home_page, behind_one_proxy
):
    exhaust(client, "203.0.113.7")

    limited = fail_sign_in(client, 99, "203.0.113.7")
    other = fail_sign_in(client, 99, "198.51.100.4")

    assert limited.status_code == 429
    assert other.status_code == 200
    html = other.content.decode()
    assert 'name="login"' in html and "Too many" not in html


@pytest.mark.django_db
def test_an_address_the_client_prepends_does_not_escape_the_limit(
    client, home_page, behind_one_proxy
):
    exhaust(client, "203.0.113.7")

    # The proxy appends the address it saw; whatever the client put before it is ignored.
    spoofed = fail_sign_in(client, 99, "192.0.2.55, 203.0.113.7")

    assert spoofed.status_code == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(client, home_page, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    exhaust(client, "203.0.113.7")

    assert fail_sign_in(client, 99, "198.51.100.4").status_code == 429


def test_the_proxy_count_comes_from_the_environment(monkeypatch):
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("ALLAUTH_TRUSTED_PROXY_COUNT", "2")
    try:
        assert importlib.reload(base).ALLAUTH_TRUSTED_PROXY_COUNT == 2
    finally:
        monkeypatch.delenv("ALLAUTH_TRUSTED_PROXY_COUNT")
        importlib.reload(base)
    assert base.ALLAUTH_TRUSTED_PROXY_COUNT == 0


@pytest.mark.django_db
def test_the_429_page_uses_the_site_layout_and_plain_words(client, home_page):
    UserFactory()
    exhaust(client, "203.0.113.7")

    response = fail_sign_in(client, 99, "203.0.113.7")

    assert response.status_code == 429
    assert [template.name for template in response.templates][0] == "429.html"
    html = response.content.decode()
    assert "nhsuk-header" in html and 'id="maincontent"' in html
    assert "Too many attempts" in html
    assert "Wait a few minutes, then try again." in html
