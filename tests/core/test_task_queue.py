"""All background work goes through the task queue (rule 9).

With the database backend that production uses, each request below only queues its work,
after its transaction commits, and sends or builds nothing itself; `db_worker --batch`
then does the work.
"""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.admin.mail import send_mail as wagtail_send_mail

from cohorts.models import CohortExport, Invitation
from core.mail import email_send
from modules import services as module_services
from modules.models import Certificate
from tests.accounts.test_registration import SIGNUP_URL, confirmation_link, signup_data
from tests.cohorts.factories import add_members, make_cohort, make_lead
from tests.factories import UserFactory
from tests.modules.conftest import build_module
from tests.task_queue import database_queue, queued, run_worker, task_paths  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def test_a_large_export_is_queued_then_built_by_the_worker(client, settings, mailoutbox):
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 1
    lead = make_lead()
    cohort = make_cohort(lead=lead)
    add_members(cohort, [UserFactory(), UserFactory()])
    client.force_login(lead)
    url = reverse("cohorts_admin:grid", args=[cohort.pk]) + "?export=csv"

    response = client.get(url)

    assert response.status_code == 302
    export = CohortExport.objects.get()
    assert export.status == CohortExport.Status.PENDING
    assert not export.file
    assert [
        result.args_kwargs["args"] for result in queued("cohorts.tasks.cohort_export_build")
    ] == [[export.pk]]

    run_worker()

    export.refresh_from_db()
    assert export.status == CohortExport.Status.READY
    assert export.rows == 2
    assert export.file.storage.exists(export.file.name)
    assert "cohorts.tasks.cohort_export_build" in task_paths("SUCCESSFUL")
    export.file.delete(save=False)


def test_an_invitation_upload_queues_the_emails_and_the_worker_sends_them(client, mailoutbox):
    lead = make_lead()
    cohort = make_cohort(lead=lead)
    client.force_login(lead)

    response = client.post(
        f"/admin/cohorts/{cohort.pk}/invite/", {"emails": "a@example.org\nb@example.org"}
    )

    assert response.status_code == 200
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 2
    assert mailoutbox == []
    assert queued("cohorts.tasks.invitation_email_send").count() == 2

    run_worker()

    assert sorted(message.to[0] for message in mailoutbox) == ["a@example.org", "b@example.org"]
    assert not Invitation.objects.filter(sent_at__isnull=True).exists()
    assert task_paths("SUCCESSFUL").count("cohorts.tasks.invitation_email_send") == 2


def test_a_sign_up_queues_its_confirmation_email(client, home_page, organisation, mailoutbox):
    response = client.post(SIGNUP_URL, signup_data(organisation=organisation.pk))

    assert response.status_code == 302
    assert mailoutbox == []
    assert queued("core.mail.email_send").count() == 1

    run_worker()

    (message,) = mailoutbox
    assert message.to == ["nia.okafor@example.org"]
    assert confirmation_link(message).startswith("/accounts/confirm-email/")


def test_certificates_and_their_regeneration_are_queued(
    home_page, learner, django_capture_on_commit_callbacks
):
    _programme, module, lessons = build_module(home_page, lessons=1)

    with django_capture_on_commit_callbacks(execute=True):
        module_services.lesson_complete(learner=learner, lesson=lessons[0], module=module)

    assert not Certificate.objects.exists()
    assert queued("modules.tasks.certificate_generate").count() == 1
    run_worker()
    certificate = Certificate.objects.get()
    assert certificate.regenerated_at is None

    with django_capture_on_commit_callbacks(execute=True):
        assert module_services.module_certificates_regenerate(module=module) == 1

    assert [result.args_kwargs["args"] for result in queued()] == [[module.pk]]
    run_worker()
    certificate.refresh_from_db()
    assert certificate.regenerated_at is not None


def test_wagtails_own_tasks_are_queued(home_page):
    """Wagtail 8 (and its search package) enqueue through the same API: saving a page
    queues its search index and reference index updates."""
    earlier = set(queued().values_list("pk", flat=True))
    home_page.title = "Renamed"
    home_page.save_revision().publish()

    ours = queued().exclude(pk__in=earlier)
    assert {result.task_path for result in ours} == {
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
    }
    ids = [result.pk for result in ours]

    run_worker()

    assert not queued().exists()
    assert set(DBTaskResult.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        "SUCCESSFUL"
    }


def test_the_queueing_email_backend_queues_wagtails_emails(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    """Wagtail's moderation and workflow notices go through Django's mail API: with the
    production EMAIL_BACKEND they are queued, and the worker sends them with the delivery
    backend (never queueing them again)."""
    settings.EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        wagtail_send_mail("Page submitted", "Please review", ["approver@example.org"])

    assert mail.outbox == []
    assert queued("core.mail.email_send").count() == 1

    run_worker()

    (message,) = mail.outbox
    assert message.subject == "Page submitted"
    assert message.to == ["approver@example.org"]
    assert not queued().exists()


def test_the_documented_pruning_removes_old_results_and_keeps_failures_longer():
    """The daily job in docs/deploy.md: `prune_db_task_results --min-age-days 14
    --failed-min-age-days 30`."""
    now = timezone.now()
    ages = {"SUCCESSFUL": [15, 13], "FAILED": [31, 15]}
    for status, days in ages.items():
        for age in days:
            result = email_send.enqueue({"age": age})
            DBTaskResult.objects.filter(pk=result.id).update(
                status=status, finished_at=now - datetime.timedelta(days=age)
            )
    waiting = email_send.enqueue({"age": 0})

    call_command(
        "prune_db_task_results", "--min-age-days", "14", "--failed-min-age-days", "30", verbosity=0
    )

    left = {
        (result.status, result.args_kwargs["args"][0]["age"])
        for result in DBTaskResult.objects.all()
    }
    assert left == {("SUCCESSFUL", 13), ("FAILED", 15), ("READY", 0)}
    assert DBTaskResult.objects.filter(pk=waiting.id).exists()
