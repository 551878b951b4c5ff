"""Joining a cohort by its link or code, and invitation links, on the public site."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from cohorts import services
from cohorts.models import Invitation, Membership
from cohorts.signal_handlers import INVITATION_SESSION_KEY
from tests.factories import UserFactory

from .factories import add_members


def join_url(cohort) -> str:
    return f"/cohorts/join/{cohort.join_code}/"


@pytest.fixture
def newcomer(db, organisation):
    return UserFactory(organisation=organisation, email="newcomer@example.org")


@pytest.fixture
def signed_in(client, newcomer):
    client.force_login(newcomer)
    return client


def error_summary(response) -> str:
    html = response.content.decode()
    assert 'class="nhsuk-error-summary"' in html
    return html


# Join links --------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_link(client, cohort):
    response = client.get(join_url(cohort))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/cohorts/join/{cohort.join_code}/"


def test_the_join_link_shows_the_cohort_and_a_join_button(signed_in, cohort):
    response = signed_in.get(join_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert cohort.name in html
    assert "Join cohort" in html
    assert f'value="{cohort.join_code}"' in html


def test_joining_by_link_adds_the_learner_and_joining_twice_is_harmless(
    signed_in, newcomer, cohort
):
    first = signed_in.post(join_url(cohort), {"code": cohort.join_code})
    second = signed_in.post(join_url(cohort), {"code": cohort.join_code})

    assert first.status_code == second.status_code == 302
    assert first["Location"] == "/learn/"
    assert Membership.objects.filter(cohort=cohort, learner=newcomer).count() == 1
    page = signed_in.get(join_url(cohort)).content.decode()
    assert "You are already a member of this cohort." in page


def test_the_code_form_accepts_a_code_typed_with_spaces_and_in_lower_case(
    signed_in, newcomer, cohort
):
    code = cohort.join_code.lower()
    response = signed_in.post("/cohorts/join/", {"code": f" {code[:4]} {code[4:]} "})

    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=newcomer).exists()


def test_an_expired_link_is_refused_and_nothing_is_written(signed_in, newcomer, cohort):
    cohort.code_expires_at = timezone.now() - datetime.timedelta(minutes=1)
    cohort.save()

    response = signed_in.post(join_url(cohort), {"code": cohort.join_code})

    assert response.status_code == 200
    assert "That join link has expired." in error_summary(response)
    assert not Membership.objects.filter(learner=newcomer).exists()


def test_a_link_that_expires_later_still_works(signed_in, newcomer, cohort):
    cohort.code_expires_at = timezone.now() + datetime.timedelta(days=1)
    cohort.save()

    signed_in.post(join_url(cohort), {"code": cohort.join_code})

    assert Membership.objects.filter(cohort=cohort, learner=newcomer).exists()


def test_a_full_cohort_is_refused_and_nothing_is_written(signed_in, newcomer, cohort):
    cohort.capacity = 3  # it has three members already
    cohort.save()

    response = signed_in.post(join_url(cohort), {"code": cohort.join_code})

    assert response.status_code == 200
    assert "That cohort is full." in error_summary(response)
    assert cohort.memberships.count() == 3


def test_a_member_of_a_full_cohort_following_the_link_again_is_not_refused(signed_in, cohort):
    member = cohort.members.first()
    cohort.capacity = 3
    cohort.code_expires_at = timezone.now() - datetime.timedelta(days=1)
    cohort.save()
    signed_in.force_login(member)

    response = signed_in.post(join_url(cohort), {"code": cohort.join_code})

    assert response.status_code == 302


@pytest.mark.parametrize("code", ["WRONGCODE9", "!!!", "A" * 40])
def test_a_wrong_code_is_refused_with_the_error_summary(signed_in, newcomer, cohort, code):
    response = signed_in.post("/cohorts/join/", {"code": code})

    assert response.status_code == 200
    error_summary(response)
    assert not Membership.objects.filter(learner=newcomer).exists()


def test_a_wrong_link_says_so(signed_in, cohort):
    response = signed_in.get("/cohorts/join/NOTACODE22/")

    assert response.status_code == 200
    assert "That join code is not right." in error_summary(response)
    assert cohort.name not in response.content.decode()


def test_an_empty_code_is_asked_for(signed_in):
    response = signed_in.post("/cohorts/join/", {"code": "  "})

    assert "Enter the join code." in error_summary(response)


def test_the_join_page_costs_a_fixed_number_of_queries(
    signed_in, cohort, django_assert_max_num_queries
):
    add_members(cohort, [UserFactory() for _ in range(10)])

    with django_assert_max_num_queries(8):
        assert signed_in.get(join_url(cohort)).status_code == 200


# Invitation links --------------------------------------------------------------------------


@pytest.fixture
def invitation(lead, cohort):
    outcome = services.cohort_invite(
        cohort=cohort, invited_by=lead, emails=["newcomer.invited@example.org"]
    )
    return outcome.invited[0]


def invitation_url(invitation) -> str:
    return f"/cohorts/invitations/{invitation.token}/"


def test_a_signed_in_learner_following_an_invitation_joins_and_goes_to_my_learning(
    signed_in, newcomer, cohort, invitation
):
    response = signed_in.get(invitation_url(invitation), follow=True)

    assert response.redirect_chain[-1][0] == "/learn/"
    assert f"You are a member of the cohort {cohort.name}." in response.content.decode()
    assert Membership.objects.filter(cohort=cohort, learner=newcomer).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer


def test_following_an_invitation_twice_is_harmless(signed_in, newcomer, cohort, invitation):
    signed_in.get(invitation_url(invitation))
    response = signed_in.get(invitation_url(invitation))

    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=newcomer).count() == 1


def test_a_wrong_invitation_link_gives_a_clear_404_page(client, signed_in, invitation):
    response = signed_in.get("/cohorts/invitations/not-a-token/")

    assert response.status_code == 404
    assert "This invitation cannot be used" in response.content.decode()
    signed_in.logout()
    assert client.get("/cohorts/invitations/not-a-token/").status_code == 404
    assert INVITATION_SESSION_KEY not in client.session


def test_an_invitation_used_by_someone_else_is_refused(signed_in, cohort, invitation):
    other = UserFactory()
    services.invitation_accept(token=invitation.token, learner=other)

    response = signed_in.get(invitation_url(invitation))

    assert response.status_code == 200
    assert "already been used by someone else" in response.content.decode()
    assert cohort.memberships.count() == 4


def test_a_visitor_is_sent_to_sign_up_with_the_invited_address(client, invitation):
    response = client.get(invitation_url(invitation))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?email=newcomer.invited%40example.org"
    assert client.session[INVITATION_SESSION_KEY] == invitation.token


def test_signing_in_with_an_invitation_in_the_session_joins_the_cohort(
    client, newcomer, password, cohort, invitation
):
    client.get(invitation_url(invitation))  # to sign-up; they sign in instead

    client.post("/accounts/login/", {"login": newcomer.email, "password": password})

    assert Membership.objects.filter(cohort=cohort, learner=newcomer).exists()
    assert INVITATION_SESSION_KEY not in client.session


def test_a_withdrawn_invitation_in_the_session_does_not_stop_sign_in(
    client, newcomer, password, cohort, invitation
):
    client.get(invitation_url(invitation))
    Invitation.objects.all().delete()

    response = client.post("/accounts/login/", {"login": newcomer.email, "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == newcomer.pk
    assert not Membership.objects.filter(learner=newcomer).exists()


def test_invitations_are_accepted_only_for_confirmed_addresses(lead, cohort, cohort_modules):
    second = services.cohort_create(lead=lead, name="Second", modules=cohort_modules)
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["kit@example.org"])
    services.cohort_invite(cohort=second, invited_by=lead, emails=["kit@example.org"])
    kit = UserFactory(email="kit@example.org", verified=False)
    EmailAddress.objects.create(user=kit, email=kit.email, primary=True, verified=False)

    assert services.invitations_accept_for_email(learner=kit) == []

    EmailAddress.objects.filter(user=kit).update(verified=True)
    assert set(services.invitations_accept_for_email(learner=kit)) == {cohort, second}
    assert set(kit.cohorts.all()) == {cohort, second}
    assert services.invitations_accept_for_email(learner=kit) == []  # nothing pending now
