"""STAFF_MFA_REQUIRED makes staff roles set up an authenticator before the admin."""

import os
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts import roles
from tests.factories import UserFactory


def staff_user(role: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [roles.COURSE_EDITOR, roles.CONTENT_APPROVER, roles.PROGRAMME_LEAD, roles.SITE_ADMIN]
)
def test_staff_without_authenticator_are_sent_to_set_one_up(client, settings, home_page, role):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(staff_user(role))

    response = client.get("/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
def test_superuser_without_authenticator_is_sent_to_set_one_up(client, settings, home_page):
    settings.STAFF_MFA_REQUIRED = True
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_staff_with_authenticator_reach_the_admin(client, settings, home_page):
    settings.STAFF_MFA_REQUIRED = True
    editor = staff_user(roles.COURSE_EDITOR)
    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(editor)

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_learners_are_not_asked_for_mfa_and_cannot_reach_the_admin(
    client, settings, home_page, learner
):
    settings.STAFF_MFA_REQUIRED = True
    learner.groups.add(Group.objects.get(name=roles.LEARNER))
    client.force_login(learner)

    response = client.get("/admin/")

    assert response.status_code == 403
    assert "The admin is for staff" in response.content.decode()
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_setting_off_lets_staff_in_without_mfa(client, settings, home_page):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(staff_user(roles.COURSE_EDITOR))

    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_mfa_setup_is_available_to_everyone_after_confirming_password(
    client, home_page, learner, password
):
    client.force_login(learner)

    first = client.get("/accounts/2fa/totp/activate/")
    assert first.status_code == 302
    assert first["Location"].startswith("/accounts/reauthenticate/")
    client.post(first["Location"], {"password": password})
    response = client.get("/accounts/2fa/totp/activate/")

    assert response.status_code == 200
    assert "<svg" in response.context["totp_svg"]
    assert response.context["form"].secret


def settings_value(module: str, name: str, **env) -> str:
    code = f"import {module} as s; print(s.{name})"
    environment = {**os.environ, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "example.org", **env}
    environment.pop("STAFF_MFA_REQUIRED", None)
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_staff_mfa_is_on_in_production_and_off_in_development():
    assert settings_value("lms.settings.production", "STAFF_MFA_REQUIRED") == "True"
    assert settings_value("lms.settings.dev", "STAFF_MFA_REQUIRED") == "False"


@pytest.mark.django_db
def test_admin_login_goes_through_allauth(client, home_page):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")

    wagtail_login = client.get("/admin/login/?next=/admin/pages/")
    assert wagtail_login.status_code == 302
    assert wagtail_login["Location"] == "/accounts/login/?next=/admin/pages/"
