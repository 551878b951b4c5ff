"""Password reset and change."""

import re

import pytest

from tests.factories import UserFactory

NEW_PASSWORD = "amber-harbour-willow-77"


def reset_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_password_reset_journey(client, home_page, learner, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": learner.email.upper()})
    assert response.status_code == 302
    assert len(mailoutbox) == 1

    link = reset_link(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


@pytest.mark.django_db
def test_password_reset_for_unknown_address_reveals_nothing(client, home_page, mailoutbox):
    UserFactory(email="known@example.org")

    unknown = client.post("/accounts/password/reset/", {"email": "unknown@example.org"})

    assert unknown.status_code == 302  # same response as for a known address
    # allauth tells the owner of the unknown address that no account exists.
    assert all("known@example.org" not in m.to for m in mailoutbox)


@pytest.mark.django_db
def test_password_reset_with_a_bad_key_shows_a_clear_message(client, home_page, learner):
    response = client.get("/accounts/password/reset/key/zz-not-a-real-key/", follow=True)

    assert response.status_code == 200
    assert response.context["token_fail"] is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": ""}, "email"),
        ({"email": "not an email"}, "email"),
    ],
)
def test_password_reset_bad_input_is_a_field_error(client, home_page, mailoutbox, data, field):
    response = client.post("/accounts/password/reset/", data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert mailoutbox == []


@pytest.mark.django_db
def test_password_change(client, home_page, learner, password):
    client.force_login(learner)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(NEW_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new1", "new2", "field"),
    [
        ("wrong-old-password", NEW_PASSWORD, NEW_PASSWORD, "oldpassword"),
        (None, "short", "short", "password1"),
        (None, NEW_PASSWORD, "something-else-entirely", "password2"),
    ],
)
def test_password_change_bad_input_changes_nothing(
    client, home_page, learner, password, old, new1, new2, field
):
    client.force_login(learner)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": old or password, "password1": new1, "password2": new2},
    )

    assert response.status_code == 200
    assert field in response.context["form"].errors
    learner.refresh_from_db()
    assert learner.check_password(password)
