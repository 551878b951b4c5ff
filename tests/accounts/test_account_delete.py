"""Delete my account: after confirming it is them (allauth's re-authentication), a person
reads what goes and what stays, ticks a box and their account is erased."""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group
from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import User
from accounts.roles import SITE_ADMIN
from tests.cohorts.factories import make_site_admin

from .test_allauth_pages import ERROR_SUMMARY, assert_error_summary_first, assert_nhsuk_page

DELETE_URL = "/accounts/delete/"
DONE_URL = "/accounts/delete/done/"
REAUTH_URL = "/accounts/reauthenticate/"


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def reauthenticated(signed_in, password):
    response = signed_in.post(REAUTH_URL, {"password": password})
    assert response.status_code == 302
    return signed_in


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, home_page):
    for method in (client.get, client.post):
        response = method(DELETE_URL)
        assert response.status_code == 302
        assert unquote(response["Location"]).startswith("/accounts/login/?next=/accounts/delete/")


@pytest.mark.django_db
def test_signed_in_but_not_reauthenticated_is_asked_to_confirm_it_is_them(signed_in, learner):
    response = signed_in.get(DELETE_URL)
    assert response.status_code == 302
    assert response["Location"] == f"{REAUTH_URL}?next=%2Faccounts%2Fdelete%2F"

    # A post without a fresh confirmation deletes nothing: it waits behind the password.
    response = signed_in.post(DELETE_URL, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTH_URL)
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.django_db
def test_the_page_says_what_goes_what_stays_and_that_it_cannot_be_undone(
    reauthenticated, home_page
):
    html = assert_nhsuk_page(reauthenticated.get(DELETE_URL), "Delete your account")

    assert ERROR_SUMMARY not in html
    for words in (
        "What we delete",
        "What we keep without your name, and why",
        "counted in a team or cohort summary",
        "no longer available",
        "audit record",
        "This cannot be undone",
        'name="confirm"',
        "Delete my account",
        'class="nhsuk-back-link" href="/accounts/profile/"',
    ):
        assert words in html, words


@pytest.mark.django_db
def test_the_profile_links_to_the_page(signed_in, home_page):
    assert 'href="/accounts/delete/"' in signed_in.get("/accounts/profile/").content.decode()


@pytest.mark.django_db
def test_not_ticking_the_box_shows_the_error_summary_and_deletes_nothing(
    reauthenticated, home_page, learner
):
    response = reauthenticated.post(DELETE_URL, {})

    html = assert_nhsuk_page(response, "Delete your account")
    assert_error_summary_first(html, "id_confirm")
    assert "Tick the box to confirm" in html
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.django_db
def test_confirming_erases_the_account_signs_out_and_confirms(reauthenticated, home_page, learner):
    pk, email = learner.pk, learner.email

    response = reauthenticated.post(DELETE_URL, {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == DONE_URL
    assert not User.objects.filter(pk=pk).exists()
    assert not User.objects.filter(email__iexact=email).exists()
    entry = ModelLogEntry.objects.get(action=services.ERASE_LOG_ACTION)
    assert entry.user is None
    assert entry.data["asked_by"] == "themselves"
    assert email not in str(entry.data) and learner.last_name not in entry.label

    done = reauthenticated.get(DONE_URL)
    html = assert_nhsuk_page_without_xl(done, "Your account has been deleted")
    assert "signed you out" in html
    # Signed out: the profile asks them to sign in; the confirmation shows only once.
    assert reauthenticated.get("/accounts/profile/").status_code == 302
    assert reauthenticated.get(DONE_URL)["Location"] == "/"


def assert_nhsuk_page_without_xl(response, heading: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert heading in html
    assert f"<title>{heading}" in html
    return html


@pytest.mark.django_db
def test_the_confirmation_page_is_not_shown_to_anyone_else(client, home_page):
    assert client.get(DONE_URL)["Location"] == "/"


@pytest.mark.django_db
def test_deleting_twice_is_harmless(reauthenticated, home_page, learner):
    assert reauthenticated.post(DELETE_URL, {"confirm": "on"})["Location"] == DONE_URL
    # The second post (a double click) comes from a browser that is signed out now.
    response = reauthenticated.post(DELETE_URL, {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_last_site_admin_cannot_delete_themselves(client, home_page, password):
    admin = make_site_admin()
    client.force_login(admin)
    client.post(REAUTH_URL, {"password": password})

    html = client.get(DELETE_URL).content.decode()
    assert "You are the only site admin" in html
    assert 'name="confirm"' not in html

    response = client.post(DELETE_URL, {"confirm": "on"})
    assert response.status_code == 200
    assert_error_summary_first(response.content.decode())
    assert User.objects.filter(pk=admin.pk).exists()


@pytest.mark.django_db
def test_a_superuser_counts_as_a_site_admin(client, home_page, password):
    admin = make_site_admin()
    make_site_admin(is_active=False)  # cannot sign in: does not count
    client.force_login(admin)
    client.post(REAUTH_URL, {"password": password})
    assert client.post(DELETE_URL, {"confirm": "on"}).status_code == 200

    from tests.factories import UserFactory

    UserFactory(is_superuser=True, is_staff=True)
    assert client.post(DELETE_URL, {"confirm": "on"})["Location"] == DONE_URL
    assert not User.objects.filter(pk=admin.pk).exists()


@pytest.mark.django_db
def test_a_site_admin_with_another_site_admin_can_delete_themselves(client, home_page, password):
    admin = make_site_admin()
    other = make_site_admin()
    client.force_login(admin)
    client.post(REAUTH_URL, {"password": password})

    assert client.post(DELETE_URL, {"confirm": "on"})["Location"] == DONE_URL
    assert list(Group.objects.get(name=SITE_ADMIN).user_set.all()) == [other]


@pytest.mark.django_db
def test_hostile_posts_change_nothing(reauthenticated, home_page, learner):
    # NUL bytes are refused before any view runs (core.middleware): a 400.
    assert reauthenticated.post(DELETE_URL, {"confirm": "on\x00"}).status_code == 400
    # 100 KB in the box's place, or a stray field, without the box ticked: the error.
    for data in ({"extra": "x" * 100_000}, {"confirm": "", "id": "9" * 20}):
        response = reauthenticated.post(DELETE_URL, data)
        assert response.status_code == 200
        assert_error_summary_first(response.content.decode(), "id_confirm")
    assert User.objects.filter(pk=learner.pk).exists()


@pytest.mark.django_db
def test_the_authenticator_app_confirms_it_is_them_too(client, home_page, learner):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    from .test_allauth_pages import TOTP_SECRET, current_code

    TOTP.activate(learner, TOTP_SECRET)
    RecoveryCodes.activate(learner)
    client.force_login(learner)
    assert client.get(DELETE_URL).status_code == 302

    response = client.post("/accounts/2fa/reauthenticate/", {"code": current_code(TOTP_SECRET)})
    assert response.status_code == 302

    assert client.post(DELETE_URL, {"confirm": "on"})["Location"] == DONE_URL
    assert not User.objects.filter(pk=learner.pk).exists()


@pytest.mark.django_db
def test_a_post_set_aside_for_the_password_is_carried_out_after_it(
    signed_in, home_page, learner, password
):
    """allauth keeps a post made without a fresh confirmation and replays it once the
    person has confirmed: the tick they gave is not lost, and nothing happened before."""
    response = signed_in.post(DELETE_URL, {"confirm": "on"})
    assert User.objects.filter(pk=learner.pk).exists()
    response = signed_in.post(response["Location"], {"password": password})
    assert not User.objects.filter(pk=learner.pk).exists()
    assert response["Location"] == DONE_URL
    assert signed_in.get(DONE_URL).status_code == 200
    assert signed_in.get("/accounts/profile/").status_code == 302


@pytest.mark.django_db
def test_only_a_site_admin_may_erase_someone_else(learner):
    from accounts import erasure
    from tests.factories import UserFactory

    other = UserFactory()
    with pytest.raises(erasure.ErasureRefused, match="Only a site admin"):
        erasure.account_erase_requested(user=other, by=learner, reason="no")
    assert User.objects.filter(pk=other.pk).exists()
