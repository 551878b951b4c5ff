"""Leads' nudges: choosing from the grid, the 7-day rule, skipping people who switched
nudges off or cannot be emailed, the audit log, the email, and sending once."""

import datetime
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import ModelLogEntry

from cohorts.models import Membership
from notifications import nudges
from notifications.models import Kind, Nudge, Preferences, Reminder
from tests.factories import UserFactory, mentions

from .conftest_nudges import *  # noqa: F403 - pytest fixtures
from .conftest_nudges import compose_data, members

pytestmark = pytest.mark.django_db


def nudge_url(of_cohort):
    return reverse("notifications_admin:nudge", args=[of_cohort.pk])


def send(client, of_cohort, learners, **kwargs):
    return client.post(nudge_url(of_cohort), {**compose_data(learners, **kwargs), "action": "send"})


def earlier_nudge(person, *, days_ago, in_cohort, by):
    """A nudge `person` was sent `days_ago` days ago."""
    when = timezone.now() - datetime.timedelta(days=days_ago)
    nudge = Nudge.objects.create(
        cohort=in_cohort, sent_by=by, subject="Earlier", message="Earlier", created_at=when
    )
    return Reminder.objects.create(
        person=person,
        kind=Kind.NUDGE,
        object_key=f"nudge:{nudge.pk}",
        period="",
        run=uuid.uuid4(),
        nudge=nudge,
        created_at=when,
        sent_at=when,
    )


# Choosing in the grid -----------------------------------------------------------------


def test_the_grid_offers_a_checkbox_per_learner_and_the_nudge_buttons(client, lead, cohort):
    client.force_login(lead)

    page = client.get(reverse("cohorts_admin:grid", args=[cohort.pk])).content.decode()

    for person in members(cohort):
        assert f'name="learner" value="{person.pk}" form="nudge-form"' in page
        assert f'aria-label="Choose {escape(person.get_full_name())}"' in page
    assert f'action="{nudge_url(cohort)}"' in page
    assert "Send a nudge to all 3 learners listed" in page


def test_choosing_learners_opens_the_form_with_a_default_message(client, lead, cohort):
    client.force_login(lead)
    amira, ben, _chloe = members(cohort)

    response = client.post(nudge_url(cohort), {"choose": "chosen", "learner": [amira.pk, ben.pk]})

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 learners will get this nudge." in page
    assert "{cohort_name}" in page and "{first_name}" in page
    assert f'value="{amira.pk},{ben.pk}"' in page
    assert not Nudge.objects.exists()


def test_all_listed_follows_the_grid_filters(client, lead, cohort, cohort_modules):
    from tests.cohorts.factories import progress

    client.force_login(lead)
    amira, ben, chloe = members(cohort)
    progress(amira, cohort_modules[0], done=1, total=3)

    response = client.post(nudge_url(cohort), {"choose": "all", "grid_query": "status=not_started"})

    page = response.content.decode()
    assert "2 learners will get this nudge." in page
    assert f'value="{ben.pk},{chloe.pk}"' in page or f'value="{chloe.pk},{ben.pk}"' in page


def test_all_listed_follows_the_grid_search(client, lead, cohort):
    client.force_login(lead)
    _amira, ben, _chloe = members(cohort)

    page = client.post(nudge_url(cohort), {"choose": "all", "grid_query": "q=Okafor"}).content

    assert f'value="{ben.pk}"'.encode() in page
    assert b"1 learner will get this nudge." in page


def test_choosing_nobody_goes_back_to_the_grid_with_a_message(client, lead, cohort):
    client.force_login(lead)

    response = client.post(nudge_url(cohort), {"choose": "chosen"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("cohorts_admin:grid", args=[cohort.pk])
    assert "Choose at least one learner" in response.content.decode()


def test_other_cohorts_learners_and_guessed_ids_are_dropped_and_counted(
    client, lead, cohort, other_cohort, mailoutbox
):
    client.force_login(lead)
    hidden = other_cohort.members.get()
    amira = members(cohort)[0]
    learners = [amira, hidden]

    page = client.post(
        nudge_url(cohort),
        {"choose": "chosen", "learner": [amira.pk, hidden.pk, "9" * 20, "-1", "abc", 10**17]},
    ).content.decode()
    assert "1 learner will get this nudge." in page
    assert "2 learners you chose are no longer members of this cohort." in page
    assert not mentions(page, hidden.get_full_name())

    send(client, cohort, learners)

    assert [message.to for message in mailoutbox] == [[amira.email]]
    assert not Reminder.objects.filter(person=hidden).exists()


# Sending ---------------------------------------------------------------------------------


def test_sending_records_the_nudge_reminders_and_audit_entry_and_emails(
    client, lead, cohort, mailoutbox
):
    client.force_login(lead)
    people = members(cohort)

    response = send(client, cohort, people, subject="Hello from {lead_name}")

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts_admin:grid", args=[cohort.pk])
    nudge = Nudge.objects.get()
    assert (nudge.cohort, nudge.sent_by, nudge.chosen, nudge.sent) == (cohort, lead, 3, 3)
    reminders = Reminder.objects.filter(nudge=nudge)
    assert sorted(reminders.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    assert set(reminders.values_list("kind", "object_key", "period")) == {
        (Kind.NUDGE, f"nudge:{nudge.pk}", "")
    }
    entry = ModelLogEntry.objects.get(action=nudges.NUDGE_ACTION)
    assert entry.object_id == str(cohort.pk)
    assert entry.user_id == lead.pk
    assert entry.data["nudge"] == nudge.pk and entry.data["sent"] == 3
    assert sorted(message.to[0] for message in mailoutbox) == sorted(p.email for p in people)
    assert mailoutbox[0].subject == "Hello from Tom Gallagher"


def test_the_email_names_the_lead_and_cohort_and_says_how_to_stop(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    amira = members(cohort)[0]

    send(client, cohort, [amira], message="Hello {first_name}, see you in {cohort_name}.")

    email = mailoutbox[0]
    html = email.alternatives[0][0]
    assert email.body.startswith("Hello Amira, see you in Leading across Northfield.")
    for text in (email.body, html):
        assert "Tom Gallagher" in text
        assert "Leading across Northfield" in text
        assert "/notifications/preferences/" in text
        assert "/notifications/unsubscribe/" in text
    assert re.fullmatch(
        r"<http://[^>]+/notifications/unsubscribe/[^/>]+/>", email.extra_headers["List-Unsubscribe"]
    )
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.reply_to == [lead.email]


def test_placeholders_are_filled_without_a_template_language(lead, cohort):
    amira = members(cohort)[0]
    amira.first_name = "{lead_name} {{ settings.SECRET_KEY }}"

    email = nudges.nudge_email(
        person=amira,
        cohort=cohort,
        lead=lead,
        subject="For {first_name}",
        message="{first_name} {% debug %} {cohort_name}",
    )

    assert email.subject == "For {lead_name} {{ settings.SECRET_KEY }}"
    assert email.body.startswith("{lead_name} {{ settings.SECRET_KEY }} {% debug %} Leading")


def test_unknown_placeholders_are_refused_and_nothing_is_sent(client, lead, cohort, mailoutbox):
    client.force_login(lead)

    response = send(client, cohort, members(cohort), message="Hi {password}")

    assert response.status_code == 200
    assert "{password} is not a placeholder we can fill in" in response.content.decode()
    assert not Nudge.objects.exists() and not mailoutbox


def test_preview_shows_the_email_and_sends_nothing(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    amira = members(cohort)[0]

    response = client.post(
        nudge_url(cohort), {**compose_data([amira], message="Hi {first_name}"), "action": "preview"}
    )

    page = response.content.decode()
    assert "data-nudge-preview" in page
    assert "Hi Amira" in page
    assert not Nudge.objects.exists() and not mailoutbox


def test_a_double_click_sends_once(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    people = members(cohort)
    run = uuid.uuid4()

    send(client, cohort, people, run=run)
    second = send(client, cohort, people, run=run)

    assert second.status_code == 302
    assert Nudge.objects.count() == 1
    assert Reminder.objects.count() == 3
    assert len(mailoutbox) == 3


def test_a_second_form_within_7_days_sends_nothing_and_says_why(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    people = members(cohort)
    send(client, cohort, people)

    response = send(client, cohort, people)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nobody you chose can be sent a nudge now" in page
    assert "3 learners were sent a nudge in the last 7 days" in page
    assert Nudge.objects.count() == 1 and len(mailoutbox) == 3


# The 7-day rule, switched off, cannot be emailed ---------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "nudged"),
    [(6, False), (6.999, False), (7, True), (7.001, True), (30, True)],
)
def test_at_most_one_nudge_per_learner_per_7_days_rolling(lead, cohort, days_ago, nudged):
    amira = members(cohort)[0]
    earlier_nudge(amira, days_ago=days_ago, in_cohort=cohort, by=lead)
    now = timezone.now()

    plan = nudges.nudge_plan(user=lead, cohort=cohort, learner_ids=[amira.pk], now=now)

    assert plan.eligible == ([amira.pk] if nudged else [])
    assert plan.recently_nudged == ([] if nudged else [amira.pk])


def test_a_nudge_from_another_cohort_counts_too(lead, cohort, other_cohort):
    amira = members(cohort)[0]
    Membership.objects.create(cohort=other_cohort, learner=amira, joined_at=timezone.now())
    earlier_nudge(amira, days_ago=1, in_cohort=other_cohort, by=other_cohort.leads.get())

    plan = nudges.nudge_plan(user=lead, cohort=cohort, learner_ids=[amira.pk])

    assert plan.recently_nudged == [amira.pk]


def test_switched_off_learners_are_skipped_and_counted(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    amira, ben, chloe = members(cohort)
    Preferences.objects.create(person=ben, nudge=False)
    Preferences.objects.create(person=chloe, nudge=True, not_started=False)

    page = client.post(
        nudge_url(cohort), {"choose": "chosen", "learner": [amira.pk, ben.pk, chloe.pk]}
    ).content.decode()
    assert "1 learner has switched off messages from programme leads" in page

    response = send(client, cohort, [amira, ben, chloe], run=uuid.uuid4())

    nudge = Nudge.objects.get()
    assert (nudge.chosen, nudge.sent, nudge.skipped_switched_off) == (3, 2, 1)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([amira.email, chloe.email])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(
        "on its way to 2 learners" in m and "1 learner has switched off" in m for m in messages
    )


def test_people_who_may_not_be_emailed_are_never_emailed(client, lead, cohort, mailoutbox):
    from tests.cohorts.factories import add_members

    client.force_login(lead)
    unverified = UserFactory(first_name="Una", verified=False)
    inactive = UserFactory(first_name="Ina", is_active=False)
    excluded = UserFactory(first_name="Exe", exclude_from_reports=True)
    add_members(cohort, [unverified, inactive, excluded])
    amira = members(cohort)[0]

    send(client, cohort, [amira, unverified, inactive, excluded])

    nudge = Nudge.objects.get()
    assert [m.to for m in mailoutbox] == [[amira.email]]
    # The excluded account is not a member the lead may see at all; the other two are
    # chosen but cannot be emailed.
    assert (nudge.chosen, nudge.sent) == (3, 1)
    assert set(Reminder.objects.values_list("person_id", flat=True)) == {amira.pk}


def test_a_learner_who_left_the_cohort_is_not_nudged(client, lead, cohort, mailoutbox):
    client.force_login(lead)
    amira, ben, _chloe = members(cohort)
    Membership.objects.filter(cohort=cohort, learner=ben).delete()

    send(client, cohort, [amira, ben])

    assert [m.to for m in mailoutbox] == [[amira.email]]


# Bad input changes nothing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"subject": ""}, 200),
        ({"message": "   "}, 200),
        ({"subject": "x" * 151}, 200),
        ({"message": "x" * 100_000}, 200),
        ({"message": "nul \x00 byte"}, 400),  # the project's middleware refuses NUL in posts
        ({"run": "not-a-uuid"}, 200),
        ({"learners": "x" * 200_000}, 200),
        ({"learners": ""}, 200),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    client, lead, cohort, mailoutbox, changes, status
):
    client.force_login(lead)
    data = {**compose_data(members(cohort)), "action": "send", **changes}

    response = client.post(nudge_url(cohort), data)

    assert response.status_code == status
    assert not Nudge.objects.exists() and not Reminder.objects.exists() and not mailoutbox


def test_a_get_only_explains_and_writes_nothing(client, lead, cohort):
    client.force_login(lead)

    response = client.get(nudge_url(cohort))

    assert response.status_code == 200
    assert "data-nudge-start" in response.content.decode()
    assert not Nudge.objects.exists()


def test_the_compose_page_costs_the_same_queries_for_3_or_60_learners(client, lead, cohort):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cohorts.factories import add_members

    client.force_login(lead)
    counts = []
    for _size in (3, 60):
        ids = list(cohort.members.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            client.post(nudge_url(cohort), {"choose": "chosen", "learner": ids})
        counts.append(len(queries))
        add_members(cohort, UserFactory.create_batch(57))
    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    "grid_query",
    [
        "q=" + "x" * 100_000,
        "organisation=" + "9" * 20,
        "organisation=-1&status=bogus&activity=9999-12-31",
        "q=%FF%FE%C3%28",
        "status=not_started&status=completed&p=9999",
        "%00=%00",
    ],
)
def test_hostile_grid_queries_never_fail_and_choose_only_this_cohort(
    client, lead, cohort, other_cohort, grid_query
):
    client.force_login(lead)
    hidden = other_cohort.members.get()

    response = client.post(nudge_url(cohort), {"choose": "all", "grid_query": grid_query})

    assert response.status_code in {200, 302}
    assert not mentions(response.content.decode(), hidden.get_full_name())
    assert not Nudge.objects.exists()


def test_the_nudge_shows_in_the_cohorts_history_for_its_leads_only(
    client, lead, cohort, other_cohort
):
    client.force_login(lead)
    send(client, cohort, members(cohort))
    history = reverse("cohort:history", args=[cohort.pk])

    assert "Sent a nudge to learners" in client.get(history).content.decode()
    client.force_login(other_cohort.leads.get())
    assert client.get(history).status_code == 404
