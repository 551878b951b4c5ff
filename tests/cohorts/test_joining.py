"""Joining a cohort by its link or code, and invitation links, on the public site."""

import datetime
import threading

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.utils import timezone

from cohorts import services
from cohorts.models import Invitation, Membership
from cohorts.signal_handlers import INVITATION_SESSION_KEY
from tests.factories import UserFactory

from .factories import add_members, make_cohort, make_lead


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

INVITED = "newcomer.invited@example.org"


@pytest.fixture
def invitation(lead, cohort):
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=[INVITED])
    return Invitation.objects.get(email=INVITED)


@pytest.fixture
def invitee(db, organisation):
    """The owner of the invited address (verified), who has an account."""
    return UserFactory(organisation=organisation, email=INVITED)


@pytest.fixture
def invitee_client(client, invitee):
    client.force_login(invitee)
    return client


def invitation_url(invitation) -> str:
    return f"/cohorts/invitations/{invitation.token}/"


def assert_unused(invitation, cohort, *learners) -> None:
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert invitation.accepted_by is None
    assert invitation.declined_at is None
    for learner in learners:
        assert not Membership.objects.filter(cohort=cohort, learner=learner).exists()


def test_the_invitation_page_shows_the_cohort_and_the_lead_and_writes_nothing(
    invitee_client, invitee, cohort, invitation, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = invitee_client.get(invitation_url(invitation))

    assert response.status_code == 200
    html = response.content.decode()
    assert cohort.name in html
    assert "Tom Gallagher has invited you to join this cohort." in html
    assert 'name="answer" value="accept"' in html
    assert 'name="answer" value="decline"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert_unused(invitation, cohort, invitee)


def test_accepting_joins_the_cohort_and_goes_to_my_learning(
    invitee_client, invitee, cohort, invitation
):
    response = invitee_client.post(invitation_url(invitation), {"answer": "accept"}, follow=True)

    assert response.redirect_chain == [("/learn/", 302)]
    assert f"You are a member of the cohort {cohort.name}." in response.content.decode()
    assert Membership.objects.filter(cohort=cohort, learner=invitee).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert invitation.accepted_at is not None


def test_a_double_click_on_accept_joins_once(invitee_client, invitee, cohort, invitation):
    first = invitee_client.post(invitation_url(invitation), {"answer": "accept"})
    accepted_at = Invitation.objects.get().accepted_at
    second = invitee_client.post(invitation_url(invitation), {"answer": "accept"})

    assert first.status_code == second.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=invitee).count() == 1
    assert Invitation.objects.get().accepted_at == accepted_at
    page = invitee_client.get(invitation_url(invitation)).content.decode()
    assert "You have accepted this invitation." in page


def test_declining_adds_nobody_and_the_token_cannot_then_be_accepted(
    invitee_client, invitee, cohort, invitation
):
    response = invitee_client.post(invitation_url(invitation), {"answer": "decline"}, follow=True)

    assert response.redirect_chain == [("/learn/", 302)]
    assert f"You declined the invitation to join {cohort.name}." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert not Membership.objects.filter(cohort=cohort, learner=invitee).exists()

    again = invitee_client.post(invitation_url(invitation), {"answer": "decline"})
    assert again.status_code == 302  # a double click on Decline is harmless
    accept = invitee_client.post(invitation_url(invitation), {"answer": "accept"})
    assert accept.status_code == 410
    assert "You declined that invitation." in accept.content.decode()
    assert invitee_client.get(invitation_url(invitation)).status_code == 410
    assert not Membership.objects.filter(cohort=cohort, learner=invitee).exists()


def test_an_expired_invitation_gets_a_clear_page_and_nothing_is_written(
    invitee_client, invitee, cohort, invitation
):
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    page = invitee_client.get(invitation_url(invitation))
    accept = invitee_client.post(invitation_url(invitation), {"answer": "accept"})
    decline = invitee_client.post(invitation_url(invitation), {"answer": "decline"})

    assert page.status_code == accept.status_code == decline.status_code == 410
    assert "That invitation has expired." in accept.content.decode()
    assert "This invitation cannot be used" in page.content.decode()
    assert_unused(invitation, cohort, invitee)


def test_invitations_expire_after_the_configured_number_of_days(lead, cohort, settings):
    settings.COHORT_INVITATION_DAYS = 30
    before = timezone.now()

    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["kit@example.org"])

    expires_at = Invitation.objects.get().expires_at
    assert before + datetime.timedelta(days=30) <= expires_at
    assert expires_at <= timezone.now() + datetime.timedelta(days=30)


def test_someone_signed_in_with_another_address_is_told_and_nothing_is_written(
    signed_in, newcomer, cohort, invitation
):
    page = signed_in.get(invitation_url(invitation))
    accept = signed_in.post(invitation_url(invitation), {"answer": "accept"})
    decline = signed_in.post(invitation_url(invitation), {"answer": "decline"})

    assert page.status_code == accept.status_code == decline.status_code == 403
    html = accept.content.decode()
    assert "This invitation is for another email address" in html
    assert "sign in (or create an account) with the address the invitation was sent to" in html
    assert INVITED not in html and INVITED not in page.content.decode()
    assert cohort.name not in page.content.decode()
    assert_unused(invitation, cohort, newcomer)


def test_an_unverified_matching_address_cannot_accept(client, organisation, cohort, invitation):
    owner_unconfirmed = UserFactory(email=INVITED, verified=False)
    EmailAddress.objects.create(user=owner_unconfirmed, email=INVITED, primary=True, verified=False)
    client.force_login(owner_unconfirmed)

    response = client.post(invitation_url(invitation), {"answer": "accept"})

    assert response.status_code == 403
    assert_unused(invitation, cohort, owner_unconfirmed)


def test_a_verified_second_address_in_another_case_may_accept(
    signed_in, newcomer, cohort, invitation
):
    EmailAddress.objects.create(user=newcomer, email=INVITED.upper(), verified=True)

    response = signed_in.post(invitation_url(invitation), {"answer": "accept"})

    assert response.status_code == 302
    assert Membership.objects.filter(cohort=cohort, learner=newcomer).exists()


def test_a_used_token_cannot_be_used_by_anyone_else(client, invitee, newcomer, cohort, invitation):
    services.invitation_accept(token=invitation.token, learner=invitee)
    EmailAddress.objects.create(user=newcomer, email="other@example.org", verified=True)
    client.force_login(newcomer)

    response = client.post(invitation_url(invitation), {"answer": "accept"})

    assert response.status_code == 403
    assert not Membership.objects.filter(cohort=cohort, learner=newcomer).exists()
    assert cohort.memberships.count() == 4
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee


def test_an_accepted_invitation_cannot_then_be_declined(
    invitee_client, invitee, cohort, invitation
):
    services.invitation_accept(token=invitation.token, learner=invitee)

    response = invitee_client.post(invitation_url(invitation), {"answer": "decline"})

    assert response.status_code == 410
    invitation.refresh_from_db()
    assert invitation.declined_at is None
    assert Membership.objects.filter(cohort=cohort, learner=invitee).exists()


def test_an_unknown_answer_changes_nothing(invitee_client, invitee, cohort, invitation):
    response = invitee_client.post(invitation_url(invitation), {"answer": "join-everything"})

    assert response.status_code == 200
    assert_unused(invitation, cohort, invitee)


@pytest.mark.parametrize("token", ["not-a-token", "a" * 65, "%FF%FE"])
def test_a_wrong_invitation_link_gives_a_clear_404_page(client, signed_in, invitation, token):
    response = signed_in.get(f"/cohorts/invitations/{token}/")
    post = signed_in.post(f"/cohorts/invitations/{token}/", {"answer": "accept"})

    assert response.status_code == post.status_code == 404
    assert "This invitation cannot be used" in response.content.decode()
    signed_in.logout()
    assert client.get(f"/cohorts/invitations/{token}/").status_code == 404
    assert INVITATION_SESSION_KEY not in client.session


def test_a_nul_byte_in_an_invitation_link_is_a_bad_request_that_remembers_nothing(
    client, signed_in, invitation
):
    """PostgreSQL cannot even look up a token holding NUL; the request never gets there."""
    assert signed_in.get("/cohorts/invitations/%00/").status_code == 400
    assert signed_in.post("/cohorts/invitations/%00/", {"answer": "accept"}).status_code == 400
    signed_in.logout()
    assert client.get("/cohorts/invitations/%00/").status_code == 400
    assert INVITATION_SESSION_KEY not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.declined_at is None


def test_a_visitor_is_sent_to_sign_up_with_the_invited_address(client, invitation):
    response = client.get(invitation_url(invitation))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?email=newcomer.invited%40example.org"
    assert client.session[INVITATION_SESSION_KEY] == invitation.token
    assert_unused(invitation, invitation.cohort)


def test_a_visitor_posting_an_answer_is_asked_to_sign_in(client, invitation):
    response = client.post(invitation_url(invitation), {"answer": "accept"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cohorts/invitations/")
    assert_unused(invitation, invitation.cohort)


def test_signing_in_as_the_invited_address_accepts_the_remembered_invitation(
    client, invitee, password, cohort, invitation
):
    response = client.get(invitation_url(invitation))
    assert response["Location"].startswith("/accounts/login/")  # the address has an account

    client.post("/accounts/login/", {"login": invitee.email, "password": password})

    assert Membership.objects.filter(cohort=cohort, learner=invitee).exists()
    assert INVITATION_SESSION_KEY not in client.session


def test_signing_in_as_someone_else_does_not_accept_the_remembered_invitation(
    client, newcomer, password, cohort, invitation
):
    client.get(invitation_url(invitation))

    response = client.post("/accounts/login/", {"login": newcomer.email, "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == newcomer.pk
    assert_unused(invitation, cohort, newcomer)
    assert INVITATION_SESSION_KEY not in client.session


def test_a_withdrawn_invitation_in_the_session_does_not_stop_sign_in(
    client, invitee, password, cohort, invitation
):
    client.get(invitation_url(invitation))
    Invitation.objects.all().delete()

    response = client.post("/accounts/login/", {"login": invitee.email, "password": password})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == invitee.pk
    assert not Membership.objects.filter(learner=invitee).exists()


# The services, directly ------------------------------------------------------------------


def test_the_services_refuse_by_reason_and_write_nothing(invitee, newcomer, cohort, invitation):
    with pytest.raises(services.InvitationNotFound):
        services.invitation_accept(token="x\x00y", learner=invitee)
    with pytest.raises(services.InvitationForAnotherAddress):
        services.invitation_accept(token=invitation.token, learner=newcomer)
    with pytest.raises(services.InvitationForAnotherAddress):
        services.invitation_decline(token=invitation.token, learner=newcomer)
    assert_unused(invitation, cohort, invitee, newcomer)

    assert services.invitation_accept(token=invitation.token, learner=invitee) == cohort
    assert services.invitation_accept(token=invitation.token, learner=invitee) == cohort
    with pytest.raises(services.InvitationUsed):
        services.invitation_decline(token=invitation.token, learner=invitee)
    assert Membership.objects.filter(cohort=cohort, learner=invitee).count() == 1


def test_accepting_again_after_leaving_does_not_rejoin(invitee, cohort, invitation):
    services.invitation_accept(token=invitation.token, learner=invitee)
    Membership.objects.filter(cohort=cohort, learner=invitee).delete()  # removed by the lead

    services.invitation_accept(token=invitation.token, learner=invitee)

    assert not Membership.objects.filter(cohort=cohort, learner=invitee).exists()


def test_confirming_an_address_does_not_accept_other_invitations_to_it(
    client, lead, cohort, cohort_modules
):
    """They wait on My learning for Accept or Decline."""
    second = services.cohort_create(lead=lead, name="Second", modules=cohort_modules)
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["kit@example.org"])
    services.cohort_invite(cohort=second, invited_by=lead, emails=["kit@example.org"])
    kit = UserFactory(email="kit@example.org")  # verified

    client.force_login(kit)
    html = client.get("/learn/").content.decode()

    assert not kit.cohorts.exists()
    assert html.count('name="answer" value="accept"') == 2
    assert cohort.name in html and "Second" in html


@pytest.mark.django_db(transaction=True)
def test_two_clicks_on_accept_at_the_same_moment_join_once():
    lead = make_lead(email="lead@example.org")
    cohort = make_cohort(lead=lead)
    invitee = UserFactory(email=INVITED)
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=[INVITED])
    token = Invitation.objects.get().token
    barrier = threading.Barrier(2)
    errors, joined = [], []

    def accept():
        try:
            barrier.wait(timeout=5)
            joined.append(services.invitation_accept(token=token, learner=invitee))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _click in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert joined == [cohort, cohort]
    assert Membership.objects.filter(cohort=cohort, learner=invitee).count() == 1
    assert Invitation.objects.get().accepted_by == invitee


@pytest.mark.parametrize("how", ["declined", "expired"])
def test_a_visitor_with_a_dead_invitation_is_told_at_once_and_nothing_is_remembered(
    client, invitation, how
):
    if how == "declined":
        Invitation.objects.update(declined_at=timezone.now())
    else:
        Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = client.get(invitation_url(invitation))

    assert response.status_code == 410
    assert "That invitation can no longer be used." in response.content.decode()
    assert INVITATION_SESSION_KEY not in client.session
