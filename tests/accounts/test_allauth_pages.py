"""Every allauth page a person can reach, in the NHS.UK design system.

Each page has one h1, a sensible title, NHS.UK form markup and, when a form is sent with
mistakes, the error summary at the top of the main content.
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.template import Context, Template
from django.template.base import Origin
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.factories import UserFactory

PROFILE_URL = "/accounts/profile/"
LOGIN_URL = "/accounts/login/"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ERROR_SUMMARY = 'class="nhsuk-error-summary"'


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts failed sign-ins in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def html_of(response) -> str:
    return response.content.decode()


def title_of(html: str) -> str:
    match = re.search(r"<title>(.*?)</title>", html, re.S)
    assert match, "the page has no <title>"
    return " ".join(match.group(1).split())


def h1_of(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "the page has no h1"
    return " ".join(re.sub(r"<[^>]+>", "", match.group(1)).split())


def assert_nhsuk_page(response, heading: str) -> str:
    """A 200 page with exactly one h1, in NHS.UK style, titled after its heading."""
    assert response.status_code == 200
    html = html_of(response)
    assert html.count("<h1") == 1, f"expected one h1, found {html.count('<h1')}"
    assert 'class="nhsuk-heading-xl"' in html
    assert h1_of(html) == heading
    assert title_of(html).startswith(heading) or title_of(html).startswith(f"Error: {heading}")
    assert "Leading Together" in title_of(html)
    return html


def assert_error_summary_first(html: str, *targets: str) -> None:
    """The error summary comes before the h1 and links to each field in error."""
    assert ERROR_SUMMARY in html
    assert html.index(ERROR_SUMMARY) < html.index("<h1")
    assert 'role="alert"' in html
    assert title_of(html).startswith("Error: ")
    for target in targets:
        assert f'href="#{target}"' in html, f"no link to #{target} in the error summary"
        assert f'id="{target}"' in html


def assert_back_link_to(html: str, url: str) -> None:
    assert re.search(rf'<a class="nhsuk-back-link" href="{re.escape(url)}"', html), html[:2000]


def input_tag(html: str, name: str) -> str:
    """The whole <input> tag for the field called `name`, attributes in any order."""
    match = re.search(rf'<input\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


def assert_before(html: str, *snippets: str) -> None:
    positions = [html.index(snippet) for snippet in snippets]
    assert positions == sorted(positions), f"out of order: {snippets}"


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def reauthenticated(signed_in, password):
    """Signed in, and has just given their password again (needed for MFA changes)."""
    response = signed_in.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302
    return signed_in


@pytest.fixture
def learner_with_totp(learner):
    TOTP.activate(learner, TOTP_SECRET)
    RecoveryCodes.activate(learner)
    return learner


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


# Sign in ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_an_nhsuk_form_with_labelled_fields(client, home_page):
    html = assert_nhsuk_page(client.get(LOGIN_URL), "Sign in")

    assert ERROR_SUMMARY not in html
    assert '<label class="nhsuk-label" for="id_login">' in html
    assert 'class="nhsuk-input"' in input_tag(html, "login")
    assert 'autocomplete="email"' in input_tag(html, "login")
    assert 'autocomplete="current-password"' in input_tag(html, "password")
    assert '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">' in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/accounts/password/reset/"' in html
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_login_keeps_the_next_page_in_a_hidden_field(client, home_page):
    html = html_of(client.get(f"{LOGIN_URL}?next=/accounts/email/"))

    assert '<input type="hidden" name="next" value="/accounts/email/">' in html


@pytest.mark.django_db
def test_login_sent_empty_shows_the_error_summary_linking_to_each_field(client, home_page):
    html = html_of(client.post(LOGIN_URL, {}))

    assert_error_summary_first(html, "id_login", "id_password")
    assert "nhsuk-form-group--error" in html
    assert 'aria-describedby="id_login-error"' in html


@pytest.mark.django_db
def test_login_with_wrong_password_shows_an_error_and_does_not_sign_in(client, home_page, learner):
    response = client.post(LOGIN_URL, {"login": learner.email, "password": "not-my-password"})

    html = assert_nhsuk_page(response, "Sign in")
    assert ERROR_SUMMARY in html
    assert html.index(ERROR_SUMMARY) < html.index("<h1")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_with_right_password_signs_in(client, home_page, learner, password):
    response = client.post(LOGIN_URL, {"login": learner.email, "password": password})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


# Create an account -----------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_page_asks_for_fields_in_order_with_the_organisation_picker(
    client, home_page, organisation
):
    html = assert_nhsuk_page(client.get("/accounts/signup/"), "Create an account")

    assert ERROR_SUMMARY not in html
    assert_before(
        html,
        'name="first_name"',
        'name="last_name"',
        'name="email"',
        'name="organisation"',
        "My organisation is not in the list",
        'name="new_organisation_name"',
        'name="new_organisation_type"',
        'name="job_role"',
        'name="password1"',
        'name="password2"',
    )
    assert organisation.name in html
    assert re.search(r'<details class="nhsuk-details">', html)  # closed until needed
    assert "data-organisation-picker" in html
    assert len(re.findall(r'autocomplete="new-password"', html)) == 2
    assert 'href="/accounts/login/"' in html
    assert ">Create account</button>" in html


@pytest.mark.django_db
def test_signup_sent_empty_puts_the_error_summary_before_the_heading(client, home_page):
    html = html_of(client.post("/accounts/signup/", {}))

    assert_error_summary_first(
        html,
        "id_first_name",
        "id_last_name",
        "id_email",
        "id_organisation",
        "id_job_role",
        "id_password1",
    )
    assert "Enter your first name." in html
    assert '<details class="nhsuk-details">' in html  # nothing proposed: stays closed


@pytest.mark.django_db
def test_signup_opens_the_new_organisation_details_when_one_is_proposed(client, home_page):
    html = html_of(
        client.post("/accounts/signup/", {"new_organisation_name": "Eastside Carers Network"})
    )

    assert '<details class="nhsuk-details" open>' in html
    assert_error_summary_first(html, "id_new_organisation_type")
    assert 'value="Eastside Carers Network"' in html


# Sign out --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_logout_page_asks_before_signing_out(signed_in, home_page):
    html = assert_nhsuk_page(signed_in.get("/accounts/logout/"), "Sign out")
    assert 'action="/accounts/logout/"' in html
    assert "nhsuk-back-link" not in html

    response = signed_in.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in signed_in.session


# Email verification ----------------------------------------------------------------------


@pytest.mark.django_db
def test_verification_sent_page(client, home_page):
    html = assert_nhsuk_page(client.get("/accounts/confirm-email/"), "Check your email")

    assert "spam" in html


def unverified_address():
    user = UserFactory(verified=False)
    return EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)


@pytest.mark.django_db
def test_email_confirm_link_shows_a_button_and_confirms_on_post(client, home_page):
    address = unverified_address()
    key = EmailConfirmationHMAC(address).key
    url = f"/accounts/confirm-email/{key}/"

    html = assert_nhsuk_page(client.get(url), "Confirm your email address")
    assert address.email in html
    assert f'action="{url}"' in html
    address.refresh_from_db()
    assert address.verified is False  # a GET changes nothing

    client.post(url)

    address.refresh_from_db()
    assert address.verified is True


@pytest.mark.django_db
def test_email_confirm_with_a_bad_link_explains_how_to_get_a_new_one(client, home_page):
    html = assert_nhsuk_page(
        client.get("/accounts/confirm-email/not-a-real-key/"),
        "This link has expired or is not valid",
    )

    assert 'href="/accounts/login/"' in html
    assert "<form" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_verified_email_required_page(learner):
    request = RequestFactory().get("/somewhere-private/")
    request.user = learner

    html = render_to_string("account/verified_email_required.html", request=request)

    assert html.count("<h1") == 1
    assert h1_of(html) == "Confirm your email address"
    assert 'href="/accounts/email/"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("template", "text"),
    [
        ("account/signup_closed.html", "You cannot create an account at the moment"),
        ("account/snippets/warn_no_email.html", "Your account has no email address."),
    ],
)
def test_pages_reached_only_in_rare_cases_render(template, text, home_page):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    html = render_to_string(template, {"login_url": LOGIN_URL}, request=request)

    assert text in html
    assert html.count("<h1") <= 1


# Password reset --------------------------------------------------------------------------


@pytest.mark.django_db
def test_password_reset_page_and_empty_submission(client, home_page):
    html = assert_nhsuk_page(client.get("/accounts/password/reset/"), "Reset your password")
    assert 'autocomplete="email"' in input_tag(html, "email")

    html = html_of(client.post("/accounts/password/reset/", {}))

    assert_error_summary_first(html, "id_email")


@pytest.mark.django_db
def test_password_reset_by_emailed_link_from_start_to_finish(
    client, home_page, learner, mailoutbox
):
    response = client.post("/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302
    assert_nhsuk_page(client.get(response["Location"]), "Check your email")

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == "Reset your password"
    assert "Leading Together" in message.body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body)
    assert link, message.body

    form_page = client.get(link.group(1), follow=True)
    html = assert_nhsuk_page(form_page, "Choose a new password")
    assert len(re.findall(r'autocomplete="new-password"', html)) == 2
    form_url = form_page.redirect_chain[-1][0]

    html = html_of(client.post(form_url, {}))
    assert_error_summary_first(html, "id_password1", "id_password2")

    new_password = "a-fresh-and-long-passphrase"
    done = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    html = assert_nhsuk_page(client.get(done["Location"]), "Your password has been changed")
    assert 'href="/accounts/login/"' in html
    learner.refresh_from_db()
    assert learner.check_password(new_password)


@pytest.mark.django_db
def test_password_reset_with_a_bad_link(client, home_page, learner):
    html = assert_nhsuk_page(
        client.get("/accounts/password/reset/key/1-not-a-real-token/"),
        "This link has expired or has already been used",
    )

    assert 'href="/accounts/password/reset/"' in html


# Managing the account --------------------------------------------------------------------


@pytest.mark.django_db
def test_password_change_page_keeps_autocomplete_and_shows_errors(signed_in, home_page):
    html = assert_nhsuk_page(signed_in.get("/accounts/password/change/"), "Change your password")
    assert_back_link_to(html, PROFILE_URL)
    assert 'autocomplete="current-password"' in input_tag(html, "oldpassword")
    assert len(re.findall(r'autocomplete="new-password"', html)) == 2

    html = html_of(signed_in.post("/accounts/password/change/", {}))

    assert_error_summary_first(html, "id_oldpassword", "id_password1", "id_password2")


@pytest.mark.django_db
def test_password_change_sends_a_notification_naming_the_service(
    signed_in, home_page, learner, password, mailoutbox, settings
):
    settings.ACCOUNT_EMAIL_NOTIFICATIONS = True
    new_password = "another-long-passphrase-9"

    response = signed_in.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    assert [m.subject for m in mailoutbox] == ["Your password has changed"]
    assert "Leading Together" in mailoutbox[0].body
    assert "IP address: 127.0.0.1" in mailoutbox[0].body


@pytest.mark.django_db
def test_password_set_page_for_an_account_without_a_password(client, home_page):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)

    html = assert_nhsuk_page(client.get("/accounts/password/set/"), "Set a password")
    assert_back_link_to(html, PROFILE_URL)
    assert len(re.findall(r'autocomplete="new-password"', html)) == 2

    html = html_of(client.post("/accounts/password/set/", {}))
    assert_error_summary_first(html, "id_password1", "id_password2")


@pytest.mark.django_db
def test_password_reset_while_signed_in_says_who_is_signed_in(signed_in, home_page, learner):
    html = assert_nhsuk_page(signed_in.get("/accounts/password/reset/"), "Reset your password")

    assert "nhsuk-inset-text" in html
    assert f"You are already signed in as {learner.email}." in html


@pytest.mark.django_db
def test_email_page_lists_addresses_as_radios_with_status_tags(signed_in, home_page, learner):
    EmailAddress.objects.create(user=learner, email="second@example.org", verified=False)

    html = assert_nhsuk_page(signed_in.get("/accounts/email/"), "Your email addresses")

    assert_back_link_to(html, PROFILE_URL)
    assert '<fieldset class="nhsuk-fieldset"' in html
    assert html.count('class="nhsuk-radios__input"') == 2
    assert "nhsuk-tag--green" in html and ">Confirmed<" in html
    assert "nhsuk-tag--yellow" in html and ">Not confirmed<" in html
    assert ">Main address<" in html
    assert 'name="action_remove"' in html and "nhsuk-button--warning" in html
    assert 'name="action_add"' in html


@pytest.mark.django_db
def test_email_page_add_sent_empty_shows_the_error_summary(signed_in, home_page):
    html = html_of(signed_in.post("/accounts/email/", {"action_add": ""}))

    assert_error_summary_first(html, "id_email")


@pytest.mark.django_db
def test_account_inactive_page(client, home_page):
    assert_nhsuk_page(client.get("/accounts/inactive/"), "Your account is not active")


@pytest.mark.django_db
def test_reauthenticate_page_with_wrong_password(signed_in, home_page):
    assert_nhsuk_page(signed_in.get("/accounts/reauthenticate/"), "Confirm it is you")

    html = html_of(signed_in.post("/accounts/reauthenticate/", {"password": "wrong"}))

    assert_error_summary_first(html, "id_password")


@pytest.mark.django_db
def test_reauthenticate_cannot_use_an_emailed_code(signed_in, home_page, mailoutbox):
    """Whoever reads someone's email must not be able to confirm it is them."""
    html = html_of(signed_in.get("/accounts/reauthenticate/"))
    assert "/accounts/reauthenticate/code/" not in html

    response = signed_in.post("/accounts/reauthenticate/code/", {})
    assert response.status_code == 403
    assert mailoutbox == []


# Two-step sign-in (MFA) ------------------------------------------------------------------


@pytest.mark.django_db
def test_mfa_index_without_an_authenticator_offers_to_set_one_up(signed_in, home_page):
    html = assert_nhsuk_page(signed_in.get("/accounts/2fa/"), "Two-step sign-in")

    assert_back_link_to(html, PROFILE_URL)
    assert 'href="/accounts/2fa/totp/activate/"' in html
    assert "/accounts/2fa/recovery-codes/generate/" not in html


@pytest.mark.django_db
def test_mfa_index_with_an_authenticator(client, home_page, learner_with_totp):
    client.force_login(learner_with_totp)

    html = assert_nhsuk_page(client.get("/accounts/2fa/"), "Two-step sign-in")

    assert 'href="/accounts/2fa/totp/deactivate/"' in html
    assert "You have 10 codes left out of 10." in html
    assert 'href="/accounts/2fa/recovery-codes/"' in html


@pytest.mark.django_db
def test_totp_activation_shows_the_qr_code_and_key_and_turns_it_on(reauthenticated, home_page):
    html = assert_nhsuk_page(
        reauthenticated.get("/accounts/2fa/totp/activate/"), "Set up an authenticator app"
    )
    assert_back_link_to(html, "/accounts/2fa/")
    image = re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert image and "QR code" in image.group(1)
    secret = re.search(r"<samp>([A-Z2-7]+)</samp>", html).group(1)
    assert 'autocomplete="one-time-code"' in input_tag(html, "code")

    html = html_of(reauthenticated.post("/accounts/2fa/totp/activate/", {"code": ""}))
    assert_error_summary_first(html, "id_code")
    assert secret in html  # the same key, so the app set up already still works

    response = reauthenticated.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 1


@pytest.mark.django_db
def test_totp_deactivate_page(client, home_page, learner_with_totp, password):
    client.force_login(learner_with_totp)
    client.post("/accounts/reauthenticate/", {"password": password})

    html = assert_nhsuk_page(
        client.get("/accounts/2fa/totp/deactivate/"), "Turn off two-step sign-in"
    )

    assert "nhsuk-warning-callout" in html
    assert 'class="nhsuk-button nhsuk-button--warning"' in html
    assert ERROR_SUMMARY not in html


@pytest.mark.django_db
def test_recovery_codes_pages(client, home_page, learner_with_totp, password):
    client.force_login(learner_with_totp)
    codes = RecoveryCodes(
        Authenticator.objects.get(type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    client.post("/accounts/reauthenticate/", {"password": password})

    html = assert_nhsuk_page(client.get("/accounts/2fa/recovery-codes/"), "Your recovery codes")
    assert_back_link_to(html, "/accounts/2fa/")
    assert all(f"<samp>{code}</samp>" in html for code in codes)
    assert 'href="/accounts/2fa/recovery-codes/download/"' in html

    html = assert_nhsuk_page(
        client.get("/accounts/2fa/recovery-codes/generate/"), "Make new recovery codes"
    )
    assert "Your old recovery codes will stop working." in html


@pytest.mark.django_db
def test_mfa_authenticate_during_sign_in(client, home_page, learner_with_totp, password):
    response = client.post(LOGIN_URL, {"login": learner_with_totp.email, "password": password})
    assert response["Location"] == "/accounts/2fa/authenticate/"

    html = assert_nhsuk_page(client.get("/accounts/2fa/authenticate/"), "Enter your code")
    assert 'form="logout-from-stage"' in html

    html = html_of(client.post("/accounts/2fa/authenticate/", {"code": "000000"}))
    assert_error_summary_first(html, "id_code")
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/2fa/authenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(learner_with_totp.pk)


@pytest.mark.django_db
def test_mfa_reauthenticate_page(client, home_page, learner_with_totp):
    client.force_login(learner_with_totp)

    html = assert_nhsuk_page(client.get("/accounts/2fa/reauthenticate/"), "Confirm it is you")
    assert 'href="/accounts/reauthenticate/' in html  # the password instead

    html = html_of(client.post("/accounts/2fa/reauthenticate/", {"code": ""}))
    assert_error_summary_first(html, "id_code")


# Sessions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sessions_page_lists_devices_and_signs_out_everywhere_else(
    client, home_page, learner, password
):
    other_device = Client(HTTP_USER_AGENT="Other phone browser")
    other_device.post(LOGIN_URL, {"login": learner.email, "password": password})
    client.defaults["HTTP_USER_AGENT"] = "This laptop browser"
    client.post(LOGIN_URL, {"login": learner.email, "password": password})
    assert UserSession.objects.filter(user=learner).count() == 2

    html = assert_nhsuk_page(client.get("/accounts/sessions/"), "Where you are signed in")

    assert_back_link_to(html, PROFILE_URL)
    assert 'class="nhsuk-table-responsive"' in html
    assert html.count('<tr class="nhsuk-table__row"') == 3  # header and two sessions
    assert "Other phone browser" in html and "This laptop browser" in html
    assert ">This device</strong>" in html
    assert ">Sign out of other sessions</button>" in html

    response = client.post("/accounts/sessions/")

    assert response.status_code == 302
    assert UserSession.objects.filter(user=learner).count() == 1
    assert other_device.get(PROFILE_URL).status_code == 302  # sent to sign in


# Emails ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signup_email_welcomes_and_links_to_confirmation(
    client, home_page, organisation, mailoutbox
):
    client.post(
        "/accounts/signup/",
        {
            "first_name": "Nia",
            "last_name": "Okafor",
            "email": "nia@example.org",
            "organisation": organisation.pk,
            "job_role": "Community matron",
            "password1": "quiet-meadow-lantern-42",
            "password2": "quiet-meadow-lantern-42",
        },
    )

    [message] = mailoutbox
    assert message.subject == "Confirm your email address to finish creating your account"
    assert message.body.startswith("Hello Nia,")
    assert "Thank you for creating an account with Leading Together." in message.body
    assert re.search(r"^https?://\S+/accounts/confirm-email/\S+/$", message.body, re.M)
    assert message.body.rstrip().endswith("The Leading Together team")


@pytest.mark.django_db
def test_emails_name_the_service_from_the_site_settings(client, home_page, learner, mailoutbox):
    from wagtail.models import Site

    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.service_name = "Carers' Leadership Hub"
    site_settings.save()

    client.post("/accounts/password/reset/", {"email": learner.email})

    [message] = mailoutbox
    assert message.body.startswith(f"Hello {learner.first_name},")
    assert "your Carers' Leadership Hub account" in message.body
    assert "Leading Together" not in message.body


EMAIL_TEMPLATES = [
    "account/email/account_already_exists",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_confirmation",
    "account/email/email_confirmation_signup",
    "account/email/email_deleted",
    "account/email/login_code",
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_reset_code",
    "account/email/password_reset_key",
    "account/email/password_set",
    "account/email/unknown_account",
    "mfa/email/recovery_codes_generated",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", EMAIL_TEMPLATES)
def test_every_email_renders_in_plain_british_english(prefix, home_page, learner):
    request = RequestFactory().get("/")
    context = {
        "request": request,
        "user": learner,
        "email": learner.email,
        "activate_url": "https://example.org/accounts/confirm-email/key/",
        "password_reset_url": "https://example.org/accounts/password/reset/key/1-key/",
        "signup_url": "https://example.org/accounts/signup/",
        "code": "",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "old@example.org",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
    }

    subject = render_to_string(f"{prefix}_subject.txt", context).strip()
    body = render_to_string(f"{prefix}_message.txt", context, request=request)

    assert subject and "\n" not in subject
    assert subject[0].isupper() and not subject.endswith(".")
    assert "Leading Together" in body
    assert "{{" not in body and "&#x27;" not in body
    assert "recognize" not in body and "Sign Up" not in body


# Fallback element templates --------------------------------------------------------------


def element_template(source: str) -> Template:
    # allauth's {% element %} tag needs to know which template it is in.
    return Template(source, origin=Origin(name="test.html", template_name="test.html"))


def test_allauth_elements_render_nhsuk_markup():
    template = element_template(
        "{% load allauth %}"
        "{% element h1 %}Heading{% endelement %}"
        "{% element h2 %}Section{% endelement %}"
        "{% element p %}Words{% endelement %}"
        '{% element button type="submit" %}Go{% endelement %}'
        '{% element button type="submit" tags="danger,delete" %}Remove{% endelement %}'
        '{% element button href="/x/" tags="secondary" %}Other{% endelement %}'
        '{% element badge tags="success" %}Done{% endelement %}'
        "{% element alert %}{% slot message %}Note{% endslot %}{% endelement %}"
        "{% element table %}{% element tbody %}{% element tr %}"
        "{% element td %}Cell{% endelement %}{% endelement %}{% endelement %}{% endelement %}"
    )

    html = template.render(Context({}))

    assert '<h1 class="nhsuk-heading-xl">Heading</h1>' in html
    assert '<h2 class="nhsuk-heading-l">Section</h2>' in html
    assert '<p class="nhsuk-body">Words</p>' in html
    assert (
        '<button class="nhsuk-button" data-module="nhsuk-button" type="submit">Go</button>' in html
    )
    assert 'class="nhsuk-button nhsuk-button--warning"' in html
    assert (
        '<a class="nhsuk-button nhsuk-button--secondary" data-module="nhsuk-button" href="/x/"'
        in html
    )
    assert '<strong class="nhsuk-tag nhsuk-tag--green">Done</strong>' in html
    assert 'class="nhsuk-inset-text"' in html
    assert '<table class="nhsuk-table">' in html
    assert '<td class="nhsuk-table__cell">Cell</td>' in html


@pytest.mark.django_db
def test_allauth_form_elements_use_the_nhsuk_field_component(learner):
    from allauth.account.forms import AddEmailForm

    form = AddEmailForm(data={"email": ""}, user=learner)
    template = element_template(
        "{% load allauth %}"
        '{% element form form=form method="post" action="/x/" %}'
        "{% slot body %}{% element fields form=form %}{% endelement %}{% endslot %}"
        '{% slot actions %}{% element button type="submit" %}Add{% endelement %}{% endslot %}'
        "{% endelement %}"
        '{% element field id="code" type="text" value="ABC" disabled=True %}'
        "{% slot label %}Key{% endslot %}{% slot help_text %}Keep it safe{% endslot %}"
        "{% endelement %}"
    )

    html = template.render(Context({"form": form}))

    assert "novalidate" in html
    assert ERROR_SUMMARY in html and 'href="#id_email"' in html
    assert '<label class="nhsuk-label" for="id_email">' in html
    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert '<div class="nhsuk-button-group">' in html
    assert re.search(r'<input class="nhsuk-input" type="text" id="code" value="ABC"', html)
    assert 'aria-describedby="code-hint"' in html
