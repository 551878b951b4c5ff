"""Sign-up, email verification and log-in through the Django test client."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory

STRONG_PASSWORD = "quiet-meadow-lantern-42"
SIGNUP_URL = "/accounts/signup/"


def signup_data(**overrides):
    data = {
        "first_name": "Nia",
        "last_name": "Okafor",
        "email": "nia.okafor@example.org",
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_type": "",
        "job_role": "Community matron",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def counts(db):
    def _counts():
        return (
            User.objects.count(),
            Organisation.objects.count(),
            EmailAddress.objects.count(),
        )

    return _counts


@pytest.mark.django_db
def test_signup_page_shows_organisation_and_job_role_fields(client, home_page, organisation):
    response = client.get(SIGNUP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="organisation"' in html
    assert organisation.name in html
    assert 'name="new_organisation_name"' in html
    assert 'name="job_role"' in html


@pytest.mark.django_db
def test_signup_with_listed_organisation_creates_unverified_learner_and_sends_link(
    client, home_page, organisation, mailoutbox
):
    response = client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="nia.okafor@example.org")
    assert user.organisation == organisation
    assert user.job_role == "Community matron"
    assert user.get_full_name() == "Nia Okafor"
    assert list(user.groups.values_list("name", flat=True)) == ["Learner"]
    address = EmailAddress.objects.get(user=user)
    assert address.verified is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nia.okafor@example.org"]


@pytest.mark.django_db
def test_verification_link_verifies_and_signs_in(client, home_page, organisation, mailoutbox):
    client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))
    link = confirmation_link(mailoutbox[0])

    assert client.get(link).status_code == 200  # a confirm button, not a GET side effect
    assert EmailAddress.objects.get(email="nia.okafor@example.org").verified is False
    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="nia.okafor@example.org").verified is True
    home = client.get("/")
    assert "Welcome back, Nia." in home.content.decode()


@pytest.mark.django_db
def test_unverified_learner_cannot_sign_in(client, home_page, organisation, mailoutbox):
    client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))
    client.logout()

    response = client.post(
        "/accounts/login/", {"login": "nia.okafor@example.org", "password": STRONG_PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session
    assert len(mailoutbox) == 1  # no second email within allauth's cool-down


@pytest.mark.django_db
def test_signup_proposing_new_organisation_creates_it_pending_and_usable(client, home_page):
    response = client.post(
        SIGNUP_URL,
        signup_data(
            new_organisation_name="  Eastside   Carers' Network ",
            new_organisation_type=Organisation.Type.VOLUNTARY,
        ),
    )

    assert response.status_code == 302
    organisation = Organisation.objects.get()
    assert organisation.name == "Eastside Carers' Network"
    assert organisation.status == Organisation.Status.PENDING
    assert organisation.type == Organisation.Type.VOLUNTARY
    assert User.objects.get().organisation == organisation
    # Usable at once: the next person sees it in the list.
    client.logout()
    assert "Eastside Carers&#x27; Network" in client.get(SIGNUP_URL).content.decode()


@pytest.mark.django_db
def test_proposing_an_existing_name_in_other_case_joins_that_organisation(client, home_page):
    existing = OrganisationFactory(name="Northfield City Council")

    client.post(
        SIGNUP_URL,
        signup_data(
            new_organisation_name="NORTHFIELD city council",
            new_organisation_type=Organisation.Type.LOCAL_AUTHORITY,
        ),
    )

    assert Organisation.objects.count() == 1
    assert User.objects.get().organisation == existing


@pytest.mark.django_db
@pytest.mark.parametrize("existing_email", ["nia.okafor@example.org", "Nia.Okafor@Example.ORG"])
@pytest.mark.parametrize("submitted_email", ["nia.okafor@example.org", "NIA.OKAFOR@example.org"])
def test_signing_up_with_a_registered_address_looks_like_any_sign_up(
    client, home_page, organisation, counts, mailoutbox, existing_email, submitted_email
):
    """Nobody can learn from the sign-up form which addresses have accounts: the answer
    is the same as for a new address, and the owner is told by email instead."""
    owner = UserFactory(email=existing_email.lower())
    fresh = client.post(
        SIGNUP_URL, signup_data(organisation=organisation.pk, email="someone.new@example.org")
    )
    mailoutbox.clear()
    client.logout()
    before = counts()

    response = client.post(
        SIGNUP_URL,
        signup_data(
            email=submitted_email,
            new_organisation_name="Riverside Wellbeing Collective",
            new_organisation_type=Organisation.Type.CHARITY,
        ),
    )

    assert response.status_code == fresh.status_code == 302
    assert response["Location"] == fresh["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "already" not in page.lower()
    assert counts() == before  # no user, no address and no proposed organisation
    assert not Organisation.objects.filter(name="Riverside Wellbeing Collective").exists()
    [message] = mailoutbox
    assert message.to == [owner.email]
    assert "you already have an account" in message.body


BAD_ORGANISATION_NAMES = [
    ("   ", "Choose your organisation, or give its name if it is not in the list."),
    ("!!!", "Organisation name must contain letters or numbers, not only punctuation."),
    ("- / -", "Organisation name must contain letters or numbers, not only punctuation."),
    ("x" * 201, "Organisation name must be 200 characters or fewer."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "message"), BAD_ORGANISATION_NAMES)
def test_invalid_new_organisation_name_is_a_field_error(client, home_page, counts, name, message):
    before = counts()

    response = client.post(
        SIGNUP_URL,
        signup_data(new_organisation_name=name, new_organisation_type=Organisation.Type.CHARITY),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in errors.get("new_organisation_name", []) + errors.get("organisation", [])
    assert counts() == before


@pytest.mark.django_db
def test_new_organisation_needs_a_type(client, home_page, counts):
    before = counts()

    response = client.post(SIGNUP_URL, signup_data(new_organisation_name="Eastside Carers"))

    assert response.context["form"].errors["new_organisation_type"] == [
        "Choose the type of organisation."
    ]
    assert counts() == before


@pytest.mark.django_db
def test_choosing_and_proposing_an_organisation_at_once_is_refused(
    client, home_page, organisation, counts
):
    before = counts()

    response = client.post(
        SIGNUP_URL,
        signup_data(
            organisation=organisation.pk,
            new_organisation_name="Another Place",
            new_organisation_type=Organisation.Type.OTHER,
        ),
    )

    assert "not both" in response.context["form"].errors["new_organisation_name"][0]
    assert counts() == before


@pytest.mark.django_db
def test_guessed_organisation_id_is_a_field_error(client, home_page, counts):
    before = counts()

    response = client.post(SIGNUP_URL, signup_data(organisation="999999"))

    assert "organisation" in response.context["form"].errors
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("job_role", "", "Enter your job role."),
        ("job_role", "    ", "Enter your job role."),
        ("first_name", "", "Enter your first name."),
        ("last_name", " ", "Enter your last name."),
        ("email", "", "Enter your email address."),
        ("email", "not-an-email", "Enter an email address in the correct format"),
    ],
)
def test_missing_or_bad_personal_details_are_field_errors(
    client, home_page, organisation, counts, field, value, message
):
    before = counts()

    response = client.post(SIGNUP_URL, signup_data(organisation=organisation.pk, **{field: value}))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password1", "password2"),
    [("short1", "short1"), ("password123", "password123"), (STRONG_PASSWORD, "different-one-99")],
)
def test_weak_or_mismatched_passwords_are_refused(
    client, home_page, organisation, counts, password1, password2
):
    before = counts()

    response = client.post(
        SIGNUP_URL,
        signup_data(organisation=organisation.pk, password1=password1, password2=password2),
    )

    errors = response.context["form"].errors
    assert "password1" in errors or "password2" in errors
    assert counts() == before


@pytest.mark.django_db
def test_failure_after_organisation_is_proposed_leaves_nothing_behind(
    client, home_page, counts, monkeypatch
):
    """The proposed organisation, user and email address are one transaction."""
    from allauth.account import forms as allauth_forms

    def explode(*args, **kwargs):
        raise RuntimeError("email set-up failed")

    monkeypatch.setattr(allauth_forms, "setup_user_email", explode)
    before = counts()
    client.raise_request_exception = False

    response = client.post(
        SIGNUP_URL,
        signup_data(new_organisation_name="Brand New Org", new_organisation_type="charity"),
    )

    assert response.status_code == 500
    assert counts() == before


@pytest.mark.django_db
def test_signup_group_exists_from_migration():
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "Learner",
        "Course editor",
        "Content approver",
        "Programme lead",
        "Site admin",
    } <= names
    assert not {"Editors", "Moderators"} & names
