"""Log-in, log-out, rate limiting and signing out everywhere."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client

from tests.factories import UserFactory

LOGIN_URL = "/accounts/login/"


@pytest.mark.django_db
def test_login_with_email_in_any_case(client, home_page, learner, password):
    response = client.post(LOGIN_URL, {"login": learner.email.upper(), "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == learner.pk


@pytest.mark.django_db
def test_login_redirects_back_to_next(client, home_page, learner, password):
    response = client.post(
        f"{LOGIN_URL}?next=/accounts/profile/", {"login": learner.email, "password": password}
    )

    assert response["Location"] == "/accounts/profile/"


@pytest.mark.django_db
def test_login_refuses_an_offsite_next(client, home_page, learner, password):
    response = client.post(
        f"{LOGIN_URL}?next=https://evil.example.com/",
        {"login": learner.email, "password": password},
    )

    assert response.status_code == 302
    assert "evil.example.com" not in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"login": "person@example.org", "password": "wrong-password-1"},
        {"login": "", "password": ""},
        {"login": "nobody@example.org", "password": "whatever-it-is"},
    ],
)
def test_bad_credentials_show_an_error_and_do_not_sign_in(client, home_page, password, data):
    UserFactory(email="person@example.org")

    response = client.post(LOGIN_URL, data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client, home_page, learner, password):
    statuses = [
        client.post(LOGIN_URL, {"login": learner.email, "password": "wrong-password-1"}).status_code
        for _attempt in range(6)
    ]
    # allauth's own limit: five failures for one account, then refusals.
    assert statuses[:5] == [200] * 5
    form = client.post(LOGIN_URL, {"login": learner.email, "password": password}).context["form"]
    assert "Too many failed login attempts" in " ".join(form.non_field_errors())
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, home_page, learner, password):
    client.post(LOGIN_URL, {"login": learner.email, "password": password})

    page = client.get("/accounts/logout/")
    assert page.status_code == 200
    assert "_auth_user_id" in client.session  # GET only asks for confirmation

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_out_other_sessions_ends_them_everywhere(home_page, learner, password):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(LOGIN_URL, {"login": learner.email, "password": password})
    assert UserSession.objects.filter(user=learner).count() == 2

    listing = laptop.get("/accounts/sessions/")
    assert listing.status_code == 200
    response = laptop.post("/accounts/sessions/")

    assert response.status_code == 302
    assert UserSession.objects.filter(user=learner).count() == 1
    assert phone.get("/accounts/profile/").status_code == 302  # signed out, sent to log in
    assert laptop.get("/accounts/profile/").status_code == 200


@pytest.mark.django_db
def test_a_login_name_longer_than_any_address_is_not_found(client, home_page):
    """SQLite refused the lookup as "LIKE or GLOB pattern too complex" (Wagtail's
    /_util/login/ and allauth both look people up by address)."""
    from accounts.models import User

    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("x" * 100_000)

    response = client.post("/_util/login/", {"username": "x" * 100_000, "password": "x"})

    assert response.status_code == 200
