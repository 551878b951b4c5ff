"""`manage.py site_admin_create`: the first site admin of a fresh production database."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from accounts import roles
from accounts.models import Organisation, User
from tests.factories import UserFactory

PASSWORD = "harbour-lantern-orchard-57"
ARGS = [
    "--email",
    "Ada.Okafor@Example.org",
    "--first-name",
    "Ada",
    "--last-name",
    "Okafor",
    "--organisation",
    "Riverside NHS Trust",
    "--organisation-type",
    "nhs_trust",
]


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(f"{PASSWORD}\n")
    return path


def create(*args, **options):
    out = io.StringIO()
    call_command("site_admin_create", *args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_it_creates_a_verified_superuser_in_the_site_admin_role(password_file):
    output = create(*ARGS, "--password-file", str(password_file))

    user = User.objects.get()
    assert user.email == "ada.okafor@example.org"
    assert user.get_full_name() == "Ada Okafor"
    assert user.is_superuser and user.is_staff
    assert user.check_password(PASSWORD)
    assert set(user.groups.values_list("name", flat=True)) == {roles.SITE_ADMIN, roles.LEARNER}
    assert user.organisation.name == "Riverside NHS Trust"
    assert user.organisation.type == Organisation.Type.NHS_TRUST
    assert user.organisation.status == Organisation.Status.APPROVED
    address = EmailAddress.objects.get()
    assert (address.user, address.email, address.verified, address.primary) == (
        user,
        "ada.okafor@example.org",
        True,
        True,
    )
    assert "Site admin ada.okafor@example.org created" in output


@pytest.mark.django_db
def test_the_password_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("SITE_ADMIN_PASSWORD", PASSWORD)

    create(*ARGS)

    assert User.objects.get().check_password(PASSWORD)


@pytest.mark.django_db
def test_without_a_password_and_without_a_terminal_it_refuses(monkeypatch):
    monkeypatch.delenv("SITE_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("SITE_ADMIN_PASSWORD_FILE", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="--password-file"):
        create(*ARGS)

    assert not User.objects.exists()


@pytest.mark.parametrize("option", ["--password", "--pass", f"--password={PASSWORD}"])
def test_there_is_no_password_argument(option):
    """Not even as an abbreviation of --password-file, which would read the password as a
    file name and print it."""
    with pytest.raises(CommandError, match="unrecognized arguments") as refused:
        call_command("site_admin_create", *ARGS, option, PASSWORD)

    assert "Cannot read" not in str(refused.value)


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_nothing_is_saved(tmp_path):
    path = tmp_path / "password"
    path.write_text("password\n")

    with pytest.raises(CommandError, match="too common"):
        create(*ARGS, "--password-file", str(path))

    assert not User.objects.exists()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_second_run_for_the_same_address_is_refused_with_a_clear_message(password_file):
    create(*ARGS, "--password-file", str(password_file))
    again = [*ARGS]
    again[1] = "ADA.okafor@example.org"
    again[3] = "Someone"

    with pytest.raises(CommandError) as refused:
        create(*again, "--password-file", str(password_file))

    assert str(refused.value) == (
        "An account for ada.okafor@example.org already exists; nothing was changed. Give it "
        "the Site admin role in the admin (Settings › Users) instead."
    )
    user = User.objects.get()
    assert user.first_name == "Ada"


@pytest.mark.django_db
def test_an_existing_learner_is_not_promoted(password_file):
    UserFactory(email="ada.okafor@example.org")

    with pytest.raises(CommandError, match="already exists"):
        create(*ARGS, "--password-file", str(password_file))

    assert not User.objects.filter(is_superuser=True).exists()
    assert not Group.objects.get(name=roles.SITE_ADMIN).user_set.exists()


@pytest.mark.django_db
def test_the_new_admin_signs_in_without_email_and_must_set_up_mfa(
    client, settings, home_page, password_file
):
    settings.STAFF_MFA_REQUIRED = True
    create(*ARGS, "--password-file", str(password_file))

    signed_in = client.post(
        "/accounts/login/", {"login": "ada.okafor@example.org", "password": PASSWORD}
    )
    admin = client.get("/admin/")

    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/learn/"
    assert admin.status_code == 302
    assert admin["Location"] == "/accounts/2fa/totp/activate/"
