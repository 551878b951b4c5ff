"""Erasing an account removes identity and free text, keeps aggregates exactly true, keeps
certificates and audit entries without the person, and is all-or-nothing."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.models import User
from accounts.privacy import former_user_label, pseudonym, registry
from accounts.services import ERASE_LOG_ACTION, account_erase
from assessments.models import Response, Team
from assessments.team_reports import team_progress, team_report
from cohorts import dashboard
from cohorts.models import Invitation, RetainedResponse
from cohorts.selectors import cohorts_without_a_lead
from modules.models import Certificate, JournalEntry
from tests.factories import UserFactory

from . import privacy_world as w
from .privacy_world import build_world


@pytest.fixture
def world(home_page):
    return build_world(home_page)


def figures(world):
    report = team_report(world.team)
    summaries = dashboard.cohort_dashboard(user=world.lead, cohort=world.cohort).instruments
    return report.dimensions, report.sections, report.progress.submitted, summaries


def text_columns():
    """Every text, character and JSON column of every table, from the database itself."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                try:
                    kind = connection.introspection.get_field_type(column.type_code, column)
                except KeyError:
                    kind = "untyped"  # SQLite's full-text search tables: searched too
                if kind in {"CharField", "TextField", "JSONField", "EmailField", "untyped"}:
                    yield table, column.name


def where_found(*needles: str) -> list[str]:
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            for needle in needles:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 (names from introspection)
                    f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column} holds {needle!r}")
    return found


@pytest.mark.django_db
def test_erasure_keeps_aggregates_and_leaves_no_name_or_address_anywhere(world):
    before = figures(world)
    assert before[0] and before[3][0].dimensions  # there is something to compare
    # The search does find them before: it is not blind.
    assert where_found(w.LAST_NAME, w.EMAIL)

    account_erase(user=world.learner, by=world.admin, reason="Asked by email")

    assert figures(world) == before
    assert where_found(w.FIRST_NAME, w.LAST_NAME, w.EMAIL, w.OTHER_EMAIL) == []
    assert where_found(w.REFLECTION, w.COMMITMENT, w.CYCLE_PLAN, w.TEAM_NAME) == []


@pytest.mark.django_db
def test_erasure_deletes_what_is_theirs_and_keeps_only_what_aggregates_need(world):
    learner = world.learner
    pk = learner.pk

    account_erase(user=learner)

    assert not User.objects.filter(pk=pk).exists()
    assert not EmailAddress.objects.filter(email__in=[w.EMAIL, w.OTHER_EMAIL]).exists()
    assert not Authenticator.objects.filter(user_id=pk).exists()
    assert not Session.objects.filter(session_key=world.session_key).exists()
    assert not JournalEntry.objects.filter(learner_id=pk).exists()
    assert not Invitation.objects.filter(email=w.OTHER_EMAIL).exists()
    assert not Team.objects.filter(pk=world.own_team.pk).exists()  # nobody else in it
    assert Team.objects.filter(pk=world.team.pk).exists()  # others are
    # Kept: the latest individual response (for the cohort) and the team response, both
    # anonymous and unshared; the earlier attempt and the draft are gone.
    kept = Response.objects.anonymised()
    assert sorted(kept.values_list("instrument__slug", flat=True)) == sorted(
        [world.instrument.slug, world.team_instrument.slug]
    )
    assert not kept.filter(shared_with_leads=True).exists()
    assert Response.objects.filter(learner__isnull=True).count() == 2
    assert RetainedResponse.objects.filter(cohort=world.cohort).count() == 2
    # The team still counts its former member, so its progress reads as before.
    assert team_progress(world.team).members == 4


@pytest.mark.django_db
def test_the_verify_page_says_an_erased_learners_certificate_is_no_longer_available(client, world):
    url = reverse("modules:certificate_verify", kwargs={"code": "ABCDE-FGHJK-MNPQR-S2345"})
    assert w.LAST_NAME in client.get(url).content.decode()

    account_erase(user=world.learner)

    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 410
    assert "This certificate is no longer available" in page
    assert w.FIRST_NAME not in page and w.LAST_NAME not in page
    certificate = Certificate.objects.get(code=w.CERTIFICATE_CODE)
    assert certificate.learner_id is None and certificate.learner_name == ""


@pytest.mark.django_db
def test_audit_entries_about_them_carry_one_stable_pseudonym(world):
    label = former_user_label(world.learner)
    other = UserFactory()
    assert pseudonym(other) != pseudonym(world.learner)
    assert pseudonym(world.learner) == pseudonym(User.objects.get(pk=world.learner.pk))
    about = ModelLogEntry.objects.filter(
        content_type__model="user", object_id=str(world.learner.pk), action="wagtail.edit"
    )
    assert about.count() == 2

    account_erase(user=world.learner, by=world.admin, reason="Asked by email")

    assert set(about.values_list("label", flat=True)) == {label}
    assert label.startswith("Former user ") and w.LAST_NAME not in label
    erasure = ModelLogEntry.objects.get(action=ERASE_LOG_ACTION)
    assert erasure.label == label and erasure.user_id == world.admin.pk
    assert erasure.data["reason"] == "Asked by email"
    # The entry they made stays, attributed to the same pseudonym.
    made = ModelLogEntry.objects.get(action="wagtail.create", object_id=str(world.own_team.pk))
    assert made.user_id is None and made.user_display_name == label


@pytest.mark.django_db
def test_a_lead_who_erases_leaves_entries_by_a_former_lead_and_a_cohort_for_admins(client, world):
    label = former_user_label(world.lead)
    assert label.startswith("Former lead ")

    account_erase(user=world.lead)

    viewed = ModelLogEntry.objects.get(action="cohorts.view")
    assert viewed.user_id is None and viewed.user_display_name == label
    assert list(cohorts_without_a_lead()) == [world.cohort]
    erasure = ModelLogEntry.objects.get(action=ERASE_LOG_ACTION)
    assert erasure.user_id is None and erasure.data["asked_by"] == "themselves"
    client.force_login(world.admin)
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Cohorts with no lead" in page
    assert reverse("cohort:edit", args=[world.cohort.pk]) in page


@pytest.mark.django_db
def test_erasing_twice_is_harmless(world):
    learner = world.learner
    account_erase(user=learner)
    account_erase(user=learner)  # the same, now stale, object

    assert ModelLogEntry.objects.filter(action=ERASE_LOG_ACTION).count() == 1


@pytest.mark.django_db
def test_a_failing_provider_rolls_everything_back(world, monkeypatch):
    (accounts,) = [provider for provider in registry if provider.section == "account"]

    def fail(user):
        raise RuntimeError("disk on fire")

    # Accounts erases last, after every other provider has done its work.
    monkeypatch.setattr(accounts, "erase", fail)
    with pytest.raises(RuntimeError):
        account_erase(user=world.learner)

    assert User.objects.filter(pk=world.learner.pk).exists()
    assert JournalEntry.objects.filter(learner=world.learner).count() == 3
    assert Response.objects.filter(learner=world.learner).count() == 4
    assert Certificate.objects.get(code=w.CERTIFICATE_CODE).learner_name
    assert not Response.objects.anonymised().exists()


@pytest.mark.django_db
def test_the_admins_delete_user_erases_through_the_service(client, world):
    client.force_login(world.admin)

    response = client.post(reverse("wagtailusers_users:delete", args=[world.learner.pk]))

    assert response.status_code == 302
    assert not User.objects.filter(pk=world.learner.pk).exists()
    assert Certificate.objects.get(code=w.CERTIFICATE_CODE).learner_id is None
    assert ModelLogEntry.objects.get(action=ERASE_LOG_ACTION).user_id == world.admin.pk
    assert not ModelLogEntry.objects.filter(action="wagtail.delete").exists()


@pytest.mark.django_db
def test_the_admins_bulk_delete_erases_each_through_the_service(client, world):
    client.force_login(world.admin)
    url = reverse("wagtail_bulk_action", args=["accounts", "user", "delete"])

    response = client.post(f"{url}?id={world.learner.pk}&id={world.others[1].pk}")

    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[world.learner.pk, world.others[1].pk]).exists()
    assert ModelLogEntry.objects.filter(action=ERASE_LOG_ACTION).count() == 2
    assert Certificate.objects.filter(code=w.CERTIFICATE_CODE, learner=None).exists()


# Cost: a fixed number of queries, whatever the person holds -----------------------------


def grow(world, extra: int) -> None:
    """Give the learner `extra` more of several kinds of record."""
    from django.utils import timezone
    from wagtail.log_actions import log

    module = world.lesson.get_parent().specific
    for number in range(extra):
        EmailAddress.objects.create(user=world.learner, email=f"more{number}@example.org")
        JournalEntry.objects.create(
            learner=world.learner,
            lesson=world.lesson,
            module=module,
            block_id=f"extra-{number}",
            lesson_title=world.lesson.title,
            module_title=module.title,
            kind=JournalEntry.Kind.REFLECTION,
            prompt="What did you notice?",
            text=f"Another reflection {number}",
            updated_at=timezone.now(),
        )
        log(instance=world.learner, action="wagtail.edit", user=world.admin)


def queries_of(function) -> int:
    """How many queries `function` makes, with everything it wrote rolled back."""
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        savepoint = transaction.savepoint()
        with CaptureQueriesContext(connection) as captured:
            function()
        transaction.savepoint_rollback(savepoint)
    return len(captured)


@pytest.mark.django_db
def test_export_and_erasure_cost_the_same_queries_for_a_fuller_record(world):
    def export():
        registry.export(world.learner)
        registry.files(world.learner)

    def erase():
        account_erase(user=world.learner)

    queries_of(export)  # caches a running process has warm
    export_before, erase_before = queries_of(export), queries_of(erase)
    grow(world, 6)
    export_after, erase_after = queries_of(export), queries_of(erase)

    assert export_after == export_before
    assert erase_after == erase_before
    assert User.objects.filter(pk=world.learner.pk).exists()  # rolled back
