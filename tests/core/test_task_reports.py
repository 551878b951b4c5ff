"""Reports › Failed tasks (core/task_reports.py): what failed for good, for site admins only,
and never a task's arguments."""

import re

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import EMAIL_MAX_ATTEMPTS, email_send, message_to_dict
from tests.cohorts.factories import make_lead, make_site_admin
from tests.core.test_mail import a_message
from tests.factories import UserFactory
from tests.mail_backends import REFUSING
from tests.task_queue import database_queue, run_worker  # noqa: F401

REPORT_URL = "/admin/reports/failed-tasks/"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


def fail_an_email_for_good():
    """Queue an email to a mail server that is down and run every attempt."""
    email_send.enqueue(message_to_dict(a_message()))
    for _ in range(EMAIL_MAX_ATTEMPTS):
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()


@pytest.fixture
def failed_email(settings):
    settings.EMAIL_BACKEND = REFUSING
    fail_an_email_for_good()
    return DBTaskResult.objects.get(status="FAILED")


def test_a_site_admin_sees_the_email_that_failed_after_its_last_attempt(client, failed_email):
    client.force_login(make_site_admin())

    response = client.get(REPORT_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Failed tasks" in html
    assert "core.mail.email_send" in html
    assert "smtplib.SMTPException" in html
    assert re.search(rf"<td\s*>\s*{EMAIL_MAX_ATTEMPTS}\s*</td>", html)
    # Neither the message nor its recipients: the arguments are never shown.
    for private in ("to@example.org", "Subject line", "Plain body", "Traceback"):
        assert private not in html


def test_the_export_has_the_same_columns_and_no_arguments(client, failed_email):
    client.force_login(make_site_admin())

    response = client.get(REPORT_URL + "?export=csv")

    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    header, row = content.strip().splitlines()
    assert header == "Task,Failed at,Attempts,Error"
    assert row.startswith("core.mail.email_send,")
    assert row.endswith(f",{EMAIL_MAX_ATTEMPTS},smtplib.SMTPException")
    assert "to@example.org" not in content


def test_retried_attempts_are_not_failures(client, settings):
    settings.EMAIL_BACKEND = REFUSING
    email_send.enqueue(message_to_dict(a_message()))
    run_worker()  # the first attempt fails; the second waits
    client.force_login(make_site_admin())

    html = client.get(REPORT_URL).content.decode()

    assert "core.mail.email_send" not in html


@pytest.mark.parametrize(
    ("make_user", "status"),
    [(make_lead, 302), (lambda: UserFactory(), 403)],
    ids=["programme lead", "learner"],
)
def test_anyone_but_a_site_admin_is_refused(client, failed_email, make_user, status):
    """Staff get Wagtail's "permission denied" (back to the admin home, as for every admin
    screen they may not use); everyone else the "admin is for staff" page."""
    client.force_login(make_user())

    response = client.get(REPORT_URL)

    assert response.status_code == status
    if status == 302:
        assert response["Location"] == "/admin/"
        assert "failed-tasks" not in client.get("/admin/").content.decode()
    html = response.content.decode()
    assert "core.mail.email_send" not in html
    assert "smtplib" not in html


def test_the_report_menu_item_is_shown_to_a_site_admin(client):
    client.force_login(make_site_admin())

    assert REPORT_URL in client.get("/admin/").content.decode()


@pytest.mark.parametrize("failures", [1, 8])
def test_the_report_costs_the_same_queries_for_any_number_of_failures(
    client, settings, django_assert_max_num_queries, failures
):
    settings.EMAIL_BACKEND = REFUSING
    for _ in range(failures):
        email_send.enqueue(message_to_dict(a_message()), attempt=EMAIL_MAX_ATTEMPTS)
    run_worker()
    client.force_login(make_site_admin())

    # 14: the admin's menu and chrome cost one query more once learning sets and reminders
    # joined it; the count still does not grow with the failures (1 or 8).
    with django_assert_max_num_queries(14):
        response = client.get(REPORT_URL)

    assert response.status_code == 200
    assert response.content.decode().count("smtplib.SMTPException") == failures


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("task_path=email", 1),
        ("task_path=certificate", 0),
        ("finished_at_from=2999-01-01", 0),
        ("finished_at_to=2999-01-01", 1),
        ("finished_at_from=9999-12-31&finished_at_to=0001-01-01", 0),
        ("finished_at_from=not-a-date", 1),  # an invalid filter filters nothing
        ("task_path=x&ordering=nonsense", 0),  # an unknown ordering is ignored
    ],
)
def test_the_filters_narrow_the_list_and_odd_values_never_crash_it(
    client, failed_email, query, shown
):
    client.force_login(make_site_admin())

    response = client.get(f"{REPORT_URL}?{query}")

    assert response.status_code == 200
    assert response.content.decode().count("smtplib.SMTPException") == shown
