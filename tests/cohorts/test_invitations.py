"""Inviting learners by list: reading pasted text and CSV files, the lead's invite page in
the Wagtail admin, the emails, and an invited newcomer signing up into the cohort."""

import datetime
import importlib
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from django_tasks import default_task_backend
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from cohorts import invitations, services, tasks
from cohorts.invitations import MAX_ROWS, Source, UploadRefused
from cohorts.models import Invitation, Membership
from tests.accounts.test_registration import confirmation_link, signup_data
from tests.factories import UserFactory, mentions
from tests.mail_backends import DUMMY_TASKS, REFUSING, UNREACHABLE

from .factories import make_cohort, make_lead, with_role


def invite_url(cohort) -> str:
    return f"/admin/cohorts/{cohort.pk}/invite/"


def messages_of(result) -> list[str]:
    return [error.message for error in result.errors]


# Reading lists: pure, no database ---------------------------------------------------------


def test_pasted_addresses_one_per_line_or_separated_by_commas_and_semicolons():
    entries = invitations.read_pasted(
        "amira@example.org\n\nben@example.org, chloe@example.org;dev@example.org\n"
    )

    assert [(entry.number, entry.value) for entry in entries] == [
        (1, "amira@example.org"),
        (3, "ben@example.org"),
        (3, "chloe@example.org"),
        (3, "dev@example.org"),
    ]


def test_good_duplicate_and_invalid_rows_are_each_reported_by_row():
    entries = invitations.read_pasted(
        "Amira@Example.org\nben@example.org\nnot an address\nsam@\namira@example.org\n"
    )

    result = invitations.check_entries(entries)

    assert result.emails == ["amira@example.org", "ben@example.org"]
    assert messages_of(result) == [
        "Line 3: 'not an address' is not an email address.",
        "Line 4: 'sam@' is not an email address.",
        "Line 5: 'amira@example.org' is a repeat of line 1, so it is left out.",
    ]


def test_addresses_pasted_from_a_mail_program_are_understood():
    entries = invitations.read_pasted(
        "Amira Khan <amira@example.org>; <ben@example.org>; mailto:chloe@example.org"
    )

    assert invitations.check_entries(entries).emails == [
        "amira@example.org",
        "ben@example.org",
        "chloe@example.org",
    ]


def test_csv_with_a_header_row_reads_the_email_column_and_reports_bad_rows():
    data = (
        b"Name,Email address,Organisation\n"
        b"Amira Khan,amira@example.org,Riverside\n"
        b"Ben Okafor,ben@example.org,Riverside\n"
        b"Sam Jones,sam@,Northfield\n"
        b"\n"
        b"Chloe Price,,Northfield\n"
        b"Ben again,BEN@example.org,Riverside\n"
    )

    entries = invitations.read_csv(data)
    result = invitations.check_entries(entries)

    assert {entry.source for entry in entries} == {Source.FILE}
    assert result.emails == ["amira@example.org", "ben@example.org"]
    assert messages_of(result) == [
        "Row 4: 'sam@' is not an email address.",
        "Row 6 has no email address.",
        "Row 7: 'BEN@example.org' is a repeat of row 3, so it is left out.",
    ]


def test_csv_without_a_header_uses_the_first_column():
    data = b"amira@example.org,Amira\nben@example.org,Ben\n"

    assert invitations.check_entries(invitations.read_csv(data)).emails == [
        "amira@example.org",
        "ben@example.org",
    ]


def test_csv_saved_by_excel_with_a_byte_order_mark_and_semicolons():
    data = "\ufeffE-mail;Name\r\namira@example.org;Amira\r\n".encode()

    assert invitations.check_entries(invitations.read_csv(data)).emails == ["amira@example.org"]


def test_a_repeat_across_the_pasted_list_and_the_file_says_where_it_first_was():
    entries = [
        *invitations.read_pasted("amira@example.org"),
        *invitations.read_csv(b"email\namira@example.org\n"),
    ]

    assert messages_of(invitations.check_entries(entries)) == [
        "Row 2: 'amira@example.org' is a repeat of line 1 of the pasted addresses, so it is "
        "left out."
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00binary spreadsheet", "not a CSV file"),
        ("email\nzoë@example.org\n".encode("latin-1"), "not saved as UTF-8"),
        (b"email\n" + b"a" * (invitations.MAX_UPLOAD_BYTES + 1), "larger than 1 MB"),
        (
            "".join(f"person{n}@example.org\n" for n in range(MAX_ROWS + 1)).encode(),
            "more than 5,000 rows",
        ),
    ],
    ids=["binary", "not-utf8", "too-big", "too-many-rows"],
)
def test_unusable_files_are_refused_whole_with_a_clear_message(data, message):
    with pytest.raises(UploadRefused, match=message):
        invitations.read_csv(data)


def test_exactly_the_row_limit_is_accepted():
    data = "".join(f"person{n}@example.org\n" for n in range(MAX_ROWS)).encode()

    assert len(invitations.check_entries(invitations.read_csv(data)).emails) == MAX_ROWS


def test_long_values_are_shortened_in_the_message():
    result = invitations.check_entries(invitations.read_pasted("x" * 300))

    assert messages_of(result)[0].startswith("Line 1: '" + "x" * 59 + "…'")


addresses = st.from_regex(
    r"[a-z][a-z0-9]{0,5}(\.[a-z0-9]{1,5})?@[a-z]{1,8}\.(org|uk|com)", fullmatch=True
)
junk = st.text(alphabet="abc @<>\"'", max_size=12).filter(lambda text: "@" not in text)


@given(st.lists(st.one_of(addresses, junk, addresses.map(str.upper)), max_size=40))
def test_every_row_is_either_taken_once_or_reported(values):
    entries = invitations.read_pasted("\n".join(values))

    result = invitations.check_entries(entries)

    assert len(result.emails) + len(result.errors) == len(entries)
    assert len(set(result.emails)) == len(result.emails)
    assert all(email == email.lower() for email in result.emails)
    assert {entry.value.lower() for entry in entries if "@" in entry.value} == set(result.emails)


# The invite page ---------------------------------------------------------------------------


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def test_the_invite_page_shows_the_join_link_with_its_expiry_and_capacity(lead_client, cohort):
    cohort.capacity = 40
    cohort.save()

    response = lead_client.get(invite_url(cohort))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"http://testserver/cohorts/join/{cohort.join_code}/" in html
    assert "Up to 40 members can join by the link." in html
    assert "The cohort has 3 members now." in html
    assert 'enctype="multipart/form-data"' in html


def test_another_leads_cohort_gives_404(lead_client, other_cohort):
    assert lead_client.get(invite_url(other_cohort)).status_code == 404
    assert (
        lead_client.post(invite_url(other_cohort), {"emails": "a@example.org"}).status_code == 404
    )
    assert not Invitation.objects.exists()


def test_a_site_admin_may_invite(client, site_admin, cohort):
    client.force_login(site_admin)

    assert client.get(invite_url(cohort)).status_code == 200


def test_learners_editors_and_visitors_cannot_reach_the_invite_page(client, cohort):
    member = cohort.members.first()
    editor = with_role(UserFactory(), "Course editor")

    assert client.get(invite_url(cohort)).status_code == 302  # to sign in
    client.force_login(member)
    response = client.post(invite_url(cohort), {"emails": "a@example.org"})
    assert response.status_code == 403
    assert "The admin is for staff" in response.content.decode()
    client.force_login(editor)
    assert client.get(invite_url(cohort)).status_code == 404
    assert not Invitation.objects.exists()


def test_a_lead_who_is_not_on_the_cohort_gets_404(client, cohort):
    client.force_login(make_lead())

    assert client.get(invite_url(cohort)).status_code == 404


def test_pasted_list_invites_every_address_alike_and_reports_bad_rows(
    lead_client, lead, cohort, mailoutbox
):
    """An address with an account gets a pending invitation, exactly as a new one does,
    and nothing on the page tells the lead which is which."""
    existing = UserFactory(
        email="dev.patel@example.org", first_name="Devraj", last_name="Patelworth"
    )
    pasted = (
        "Dev.Patel@example.org\n"
        "new.person@example.org\n"
        "not-an-address\n"
        "sam@\n"
        "new.person@example.org; third@example.org\n"
    )

    response = lead_client.post(invite_url(cohort), {"emails": pasted})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Line 3: &#x27;not-an-address&#x27; is not an email address." in html
    assert "Line 4: &#x27;sam@&#x27; is not an email address." in html
    assert "Line 5: &#x27;new.person@example.org&#x27; is a repeat of line 2" in html
    assert not Membership.objects.filter(cohort=cohort, learner=existing).exists()
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "dev.patel@example.org",
        "new.person@example.org",
        "third@example.org",
    }
    assert Invitation.objects.filter(invited_by=lead).count() == 3
    outcome = response.context["outcome"]
    assert outcome.invited == [
        "dev.patel@example.org",
        "new.person@example.org",
        "third@example.org",
    ]
    assert "Devraj" not in html and "Patelworth" not in html
    result = html[html.index("data-invite-result") : html.index('id="join-link-heading"')]
    assert "Added to the cohort" not in result and "have an account" not in result
    assert sorted(message.to[0] for message in mailoutbox) == [
        "dev.patel@example.org",
        "new.person@example.org",
        "third@example.org",
    ]
    for message in mailoutbox:
        invitation = Invitation.objects.get(email=message.to[0])
        assert message.subject == f"Tom Gallagher has invited you to join {cohort.name}"
        assert f"http://testserver/cohorts/invitations/{invitation.token}/" in message.body
        assert "accept or decline" in message.body
        assert message.reply_to == [lead.email]
        assert invitation.sent_at is not None
    # The existing account and the new address got the same email, but for the address.
    bodies = {
        message.to[0]: message.body.replace(message.to[0], "ADDRESS").replace(
            Invitation.objects.get(email=message.to[0]).token, "TOKEN"
        )
        for message in mailoutbox
    }
    assert bodies["dev.patel@example.org"] == bodies["new.person@example.org"]


def test_csv_upload_with_a_header_row_and_a_bad_row(lead_client, cohort, mailoutbox):
    upload = SimpleUploadedFile(
        "learners.csv",
        b"Name,Email\nAmira,amira.new@example.org\nSam,sam@\nBen,ben.new@example.org\n",
        content_type="text/csv",
    )

    response = lead_client.post(invite_url(cohort), {"emails": "", "file": upload})

    assert response.status_code == 200
    assert "Row 3: &#x27;sam@&#x27; is not an email address." in response.content.decode()
    assert response.context["outcome"].invited
    assert set(Invitation.objects.values_list("email", flat=True)) == {
        "amira.new@example.org",
        "ben.new@example.org",
    }
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a CSV file"),
        (b"email\n" + b"x" * (1024 * 1024 + 10), "larger than 1 MB"),
    ],
    ids=["binary", "oversized"],
)
def test_an_unusable_upload_is_refused_with_a_message_and_nothing_is_written(
    lead_client, cohort, mailoutbox, content, message
):
    members_before = cohort.memberships.count()
    upload = SimpleUploadedFile("learners.csv", content, content_type="text/csv")

    response = lead_client.post(
        invite_url(cohort), {"emails": "someone@example.org", "file": upload}
    )

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not Invitation.objects.exists()
    assert cohort.memberships.count() == members_before
    assert mailoutbox == []


def test_an_empty_submission_asks_for_addresses(lead_client, cohort):
    response = lead_client.post(invite_url(cohort), {"emails": "  \n"})

    assert response.status_code == 200
    assert "Paste at least one email address" in str(response.context["form"].errors)


def test_a_list_with_no_usable_row_adds_nothing(lead_client, cohort, mailoutbox):
    response = lead_client.post(invite_url(cohort), {"emails": "sam@\nnobody"})

    assert response.status_code == 200
    assert "nothing was added" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_members_and_people_already_invited_are_reported_and_not_emailed_again(
    lead_client, cohort, mailoutbox
):
    member = cohort.members.order_by("pk").first()
    lead_client.post(invite_url(cohort), {"emails": "new.person@example.org"})
    assert len(mailoutbox) == 1

    response = lead_client.post(
        invite_url(cohort), {"emails": f"{member.email.upper()}\nnew.person@example.org"}
    )

    outcome = response.context["outcome"]
    assert outcome.already_members == [member.email.lower()]
    assert outcome.already_invited == ["new.person@example.org"]
    assert not outcome.invited and not outcome.reinvited
    html = response.content.decode()
    assert "Already members of this cohort (no email sent)" in html
    assert member.email in html
    assert len(mailoutbox) == 1
    assert Invitation.objects.count() == 1


def test_emails_are_queued_only_after_the_invitations_are_committed(
    lead, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cohort_invite(
            cohort=cohort, invited_by=lead, emails=["a@example.org", "b@example.org"]
        )

    assert mailoutbox == []
    assert len(callbacks) == 2  # one task per invitation
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 2
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


def test_with_a_real_queue_the_invite_page_only_queues_the_emails(
    lead_client, cohort, settings, mailoutbox
):
    settings.TASKS = DUMMY_TASKS

    response = lead_client.post(invite_url(cohort), {"emails": "a@example.org\nb@example.org"})

    assert response.status_code == 200
    assert mailoutbox == []
    queued = default_task_backend.results
    assert [result.task.func for result in queued] == [tasks.invitation_email_send.func] * 2
    assert sorted(result.args[0] for result in queued) == sorted(
        Invitation.objects.values_list("pk", flat=True)
    )
    assert {result.args[1] for result in queued} == {"http://testserver/"}
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()


@pytest.mark.parametrize("backend", [REFUSING, UNREACHABLE])
def test_a_mail_server_that_is_down_leaves_the_invitations_saved_and_unsent(
    lead_client, cohort, settings, mailoutbox, backend
):
    """Sending the list again once the server is back sends only what was never sent."""
    settings.EMAIL_BACKEND = backend
    upload = SimpleUploadedFile(
        "learners.csv",
        "".join(f"invitee{n}@example.org\n" for n in range(5)).encode(),
        content_type="text/csv",
    )

    response = lead_client.post(invite_url(cohort), {"emails": "", "file": upload})

    assert response.status_code == 200
    assert Invitation.objects.count() == 5
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    html = response.content.decode()
    assert html.count("(email not sent yet)") == 5

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Invitation.objects.filter(email="invitee0@example.org").update(sent_at=timezone.now())
    response = lead_client.post(
        invite_url(cohort), {"emails": "\n".join(f"invitee{n}@example.org" for n in range(5))}
    )

    assert response.context["outcome"].already_invited == [
        f"invitee{n}@example.org" for n in range(5)
    ]
    assert sorted(message.to[0] for message in mailoutbox) == [
        f"invitee{n}@example.org" for n in range(1, 5)
    ]
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()


def test_the_email_task_does_nothing_for_an_answered_or_sent_invitation(
    lead, cohort, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.cohort_invite(cohort=cohort, invited_by=lead, emails=["a@example.org"])
    invitation = Invitation.objects.get()
    assert len(mailoutbox) == 1

    assert tasks.invitation_email_send.call(invitation.pk, "http://testserver/") is False
    Invitation.objects.update(sent_at=None, declined_at=timezone.now())
    assert tasks.invitation_email_send.call(invitation.pk, "http://testserver/") is False
    assert tasks.invitation_email_send.call(0, "http://testserver/") is False
    assert len(mailoutbox) == 1


# From invitation to membership -----------------------------------------------------------


def invitation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/cohorts/invitations/[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(lead_client, cohort, mailoutbox):
    """An invitation to nia.okafor@example.org, who has no account; its link."""
    lead_client.post(invite_url(cohort), {"emails": "nia.okafor@example.org"})
    lead_client.logout()
    (message,) = mailoutbox
    mailoutbox.clear()
    return invitation_link(message)


def test_a_new_address_signs_up_from_the_invitation_and_is_in_the_cohort(
    client, cohort, organisation, invited, mailoutbox
):
    response = client.get(invited)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?email=nia.okafor%40example.org"
    signup_page = client.get(response["Location"])
    assert 'value="nia.okafor@example.org"' in signup_page.content.decode()

    client.post("/accounts/signup/", signup_data(organisation=organisation.pk))
    nia = User.objects.get(email="nia.okafor@example.org")
    assert not Membership.objects.filter(cohort=cohort, learner=nia).exists()  # not confirmed

    (confirmation,) = mailoutbox
    response = client.post(confirmation_link(confirmation), follow=True)

    assert Membership.objects.filter(cohort=cohort, learner=nia).exists()
    invitation = Invitation.objects.get(email="nia.okafor@example.org")
    assert invitation.accepted_by == nia
    assert invitation.accepted_at is not None
    page = response.content.decode()
    assert page.count(f"You are a member of the cohort {cohort.name}.") == 1


def test_confirming_in_another_browser_leaves_the_invitation_waiting_on_my_learning(
    client, cohort, organisation, invited, mailoutbox
):
    client.get(invited)
    client.post("/accounts/signup/", signup_data(organisation=organisation.pk))
    (confirmation,) = mailoutbox

    other_browser = Client()
    other_browser.post(confirmation_link(confirmation))

    nia = User.objects.get(email="nia.okafor@example.org")
    assert not Membership.objects.filter(cohort=cohort, learner=nia).exists()
    other_browser.force_login(nia)
    my_learning = other_browser.get("/learn/").content.decode()
    assert cohort.name in my_learning
    assert 'name="answer" value="accept"' in my_learning
    other_browser.post(invited, {"answer": "accept"})
    assert Membership.objects.filter(cohort=cohort, learner=nia).exists()


def test_signing_up_with_another_address_from_the_invitation_link_does_not_join(
    client, cohort, organisation, invited, mailoutbox
):
    client.get(invited)
    client.post(
        "/accounts/signup/",
        signup_data(organisation=organisation.pk, email="nia.home@example.org"),
    )
    (confirmation,) = mailoutbox
    client.post(confirmation_link(confirmation))

    nia = User.objects.get(email="nia.home@example.org")
    assert not Membership.objects.filter(cohort=cohort, learner=nia).exists()
    assert Invitation.objects.get().accepted_at is None
    response = client.get(invited)
    assert response.status_code == 403
    assert "This invitation is for another email address" in response.content.decode()


def test_an_invitation_is_not_accepted_by_an_address_that_is_not_confirmed(
    client, cohort, organisation, invited, mailoutbox
):
    other_browser = Client()
    other_browser.post("/accounts/signup/", signup_data(organisation=organisation.pk))

    nia = User.objects.get(email="nia.okafor@example.org")
    assert not Membership.objects.filter(cohort=cohort, learner=nia).exists()
    assert Invitation.objects.get().accepted_at is None


def test_someone_who_already_has_an_account_is_sent_to_sign_in_and_joins(
    client, cohort, invited, password
):
    nia = UserFactory(email="nia.okafor@example.org")  # signed up since the invitation

    response = client.get(invited)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/cohorts/invitations/")
    client.post("/accounts/login/", {"login": nia.email, "password": password})
    assert Membership.objects.filter(cohort=cohort, learner=nia).exists()


def test_a_member_of_another_cohort_is_only_invited_until_they_accept(
    client, lead, cohort, cohort_modules, mailoutbox, password
):
    """The lead's export and grid show nobody who has not accepted."""
    second = make_cohort(lead=lead, name="Second cohort", modules=cohort_modules)
    member = cohort.members.order_by("pk").first()
    client.force_login(lead)

    client.post(invite_url(second), {"emails": member.email})

    assert not Membership.objects.filter(cohort=second, learner=member).exists()
    (message,) = mailoutbox
    assert message.to == [member.email]
    assert message.subject == "Tom Gallagher has invited you to join Second cohort"
    grid = client.get(f"/admin/cohorts/{second.pk}/learners/")
    assert grid.status_code == 200
    assert not mentions(grid.content.decode(), member.get_full_name())

    learner = Client()
    learner.force_login(member)
    learner.post(invitation_link(message), {"answer": "accept"})
    assert Membership.objects.filter(cohort=second, learner=member).exists()


def test_a_list_that_fails_part_way_adds_nothing_and_says_so(
    lead_client, cohort, mailoutbox, monkeypatch
):
    existing = UserFactory(email="dev.patel@example.org")

    def clash(*args, **kwargs):
        raise IntegrityError("another lead invited the same address at the same moment")

    monkeypatch.setattr(Invitation.objects, "bulk_create", clash)
    response = lead_client.post(
        invite_url(cohort), {"emails": "dev.patel@example.org\nnew.person@example.org"}
    )

    assert response.status_code == 200
    assert "Nothing was added." in str(response.context["form"].non_field_errors())
    assert not Membership.objects.filter(learner=existing).exists()
    assert mailoutbox == []


# Invitations again, and the lead's list ------------------------------------------------------


def answer(email: str, cohort, *, how: str):
    """The owner of `email` (an account made now) answers the invitation."""
    owner = UserFactory(email=email, first_name="Secret", last_name="Owner", job_role="Hidden role")
    token = Invitation.objects.get(cohort=cohort, email=email).token
    if how == "accept":
        services.invitation_accept(token=token, learner=owner)
    else:
        services.invitation_decline(token=token, learner=owner)
    return owner


def test_a_declined_or_expired_invitation_is_renewed_when_the_lead_invites_again(
    lead_client, cohort, mailoutbox
):
    lead_client.post(invite_url(cohort), {"emails": "declines@example.org\nlapses@example.org"})
    answer("declines@example.org", cohort, how="decline")
    Invitation.objects.filter(email="lapses@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    old_tokens = set(Invitation.objects.values_list("token", flat=True))
    mailoutbox.clear()

    response = lead_client.post(
        invite_url(cohort), {"emails": "declines@example.org\nlapses@example.org"}
    )

    outcome = response.context["outcome"]
    assert outcome.reinvited == ["declines@example.org", "lapses@example.org"]
    assert not outcome.invited and not outcome.already_invited
    assert Invitation.objects.count() == 2
    for invitation in Invitation.objects.all():
        assert invitation.token not in old_tokens
        assert invitation.declined_at is None
        assert invitation.expires_at > timezone.now() + datetime.timedelta(days=29)
        assert invitation.status() == Invitation.Status.WAITING
        assert invitation.sent_at is not None
    assert sorted(message.to[0] for message in mailoutbox) == [
        "declines@example.org",
        "lapses@example.org",
    ]
    stale = lead_client.get(f"/cohorts/invitations/{sorted(old_tokens)[0]}/")
    assert stale.status_code == 404


def test_the_lead_sees_each_invitation_by_address_and_status_and_nothing_more(lead_client, cohort):
    addresses = ["waits@example.org", "joins@example.org", "declines@example.org"]
    lead_client.post(invite_url(cohort), {"emails": "\n".join([*addresses, "lapses@example.org"])})
    joined = answer("joins@example.org", cohort, how="accept")
    declined = answer("declines@example.org", cohort, how="decline")
    Invitation.objects.filter(email="lapses@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    lapsed = UserFactory(email="lapses@example.org", first_name="Lapsed", last_name="Person")

    html = lead_client.get(invite_url(cohort)).content.decode()

    rows = dict(
        re.findall(r'data-invitation-status="([a-z_]+)">\s*<td>([^<]+)</td>', html)[i][::-1]
        for i in range(4)
    )
    assert rows == {
        "waits@example.org": "waiting",
        "joins@example.org": "accepted",
        "declines@example.org": "not_accepted",
        "lapses@example.org": "not_accepted",
    }
    assert "Waiting for a reply" in html
    assert "Accepted" in html
    assert html.count("Not accepted</td>") == 2
    # Declined and expired rows read the same, but for the address.
    declined_row = re.search(r"<tr[^>]*>\s*<td>declines@example.org</td>.*?</tr>", html, re.S)
    lapsed_row = re.search(r"<tr[^>]*>\s*<td>lapses@example.org</td>.*?</tr>", html, re.S)
    assert declined_row.group(0).replace("declines", "X") == lapsed_row.group(0).replace(
        "lapses", "X"
    )
    for person in (declined, lapsed):
        assert not mentions(html, person.first_name)
        assert not mentions(html, person.last_name)
    assert "Hidden role" not in html
    assert declined.organisation.name not in html
    assert Membership.objects.filter(cohort=cohort, learner=joined).exists()


def test_the_invitation_list_costs_the_same_queries_for_1_or_60_invitations(
    lead_client, lead, cohort, django_assert_max_num_queries
):
    counts = []
    for size in (1, 60):
        Invitation.objects.all().delete()
        services.cohort_invite(
            cohort=cohort,
            invited_by=lead,
            emails=[f"invitee{n}@example.org" for n in range(size)],
        )
        with django_assert_max_num_queries(30) as captured:
            response = lead_client.get(invite_url(cohort))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert html.count("data-invitation-status=") == 50
    assert "Page 1 of 2" in html
    second_page = lead_client.get(invite_url(cohort) + "?page=2").content.decode()
    assert second_page.count("data-invitation-status=") == 10
    # A NUL byte never reaches the page: core.middleware refuses it first.
    assert lead_client.get(invite_url(cohort) + "?page=%00").status_code == 400


def test_another_lead_never_sees_the_invitations(client, other_lead, cohort, lead):
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["private@example.org"])
    client.force_login(other_lead)

    response = client.get(invite_url(cohort))

    assert response.status_code == 404
    assert "private@example.org" not in response.content.decode()


# My learning ------------------------------------------------------------------------------


def test_my_learning_lists_only_my_pending_invitations_in_one_query(
    client, lead, cohort, cohort_modules, django_assert_max_num_queries
):
    kit = UserFactory(email="kit@example.org")
    client.force_login(kit)
    counts = []
    for size in (1, 5):
        Invitation.objects.all().delete()
        for number in range(size):
            other = make_cohort(lead=lead, name=f"Cohort {size}-{number}", modules=cohort_modules)
            services.cohort_invite(cohort=other, invited_by=lead, emails=["kit@example.org"])
        client.get("/learn/")  # warm the caches the new cohorts made stale (site settings)
        with django_assert_max_num_queries(20) as captured:
            html = client.get("/learn/").content.decode()
        counts.append(len(captured))
        assert html.count('name="answer" value="decline"') == size
    assert counts[0] == counts[1]
    assert "Tom Gallagher has invited you to join this cohort." in html

    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["someone.else@example.org"])
    Invitation.objects.filter(cohort__name="Cohort 5-0").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    Invitation.objects.filter(cohort__name="Cohort 5-1").update(declined_at=timezone.now())
    html = client.get("/learn/").content.decode()
    assert html.count('name="answer" value="decline"') == 3
    assert "Cohort 5-0" not in html and "Cohort 5-1" not in html and cohort.name not in html


def test_declining_from_my_learning(client, lead, cohort):
    kit = UserFactory(email="kit@example.org")
    services.cohort_invite(cohort=cohort, invited_by=lead, emails=["kit@example.org"])
    client.force_login(kit)
    html = client.get("/learn/").content.decode()
    action = re.search(r'action="(/cohorts/invitations/[^"]+)"', html).group(1)

    response = client.post(action, {"answer": "decline"}, follow=True)

    assert response.redirect_chain == [("/learn/", 302)]
    assert 'name="answer"' not in response.content.decode()
    assert Invitation.objects.get().declined_at is not None
    assert not Membership.objects.filter(learner=kit).exists()


@pytest.mark.parametrize("backend", [REFUSING, UNREACHABLE])
@pytest.mark.django_db(transaction=True)
def test_an_upload_commits_for_real_and_answers_as_normal_when_the_mail_server_is_down(
    client, settings, backend
):
    """Committed for real, so each email task runs inside the request, as on the site."""
    importlib.import_module("cohorts.migrations.0002_programme_lead_permissions").grant(apps, None)
    lead = make_lead(email="lead@example.org")
    cohort = make_cohort(lead=lead)
    settings.EMAIL_BACKEND = backend
    client.raise_request_exception = False
    client.force_login(lead)
    upload = SimpleUploadedFile(
        "learners.csv",
        "".join(f"invitee{n}@example.org\n" for n in range(20)).encode(),
        content_type="text/csv",
    )

    response = client.post(invite_url(cohort), {"emails": "", "file": upload})

    assert response.status_code == 200
    assert Invitation.objects.filter(cohort=cohort).count() == 20
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
