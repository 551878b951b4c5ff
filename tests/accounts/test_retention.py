"""Retention: learners unused for ACCOUNT_RETENTION_DAYS are warned once, then erased;
signing in cancels; staff are listed for site admins instead of erased."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts import retention, services
from accounts.models import User
from accounts.roles import COURSE_EDITOR
from core.management.commands.scheduler import JOBS
from tests.cohorts.factories import make_lead, make_site_admin, with_role
from tests.factories import UserFactory

NOW = timezone.now().replace(microsecond=0)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def policy(settings):
    settings.ACCOUNT_RETENTION_DAYS = 1095
    settings.ACCOUNT_RETENTION_WARNING_DAYS = 30
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.org"


def unused_for(days: int, *, factory=UserFactory, never_signed_in=False, **fields):
    """A person last seen `days` days before NOW (joined a year earlier)."""
    last = NOW - days * DAY
    user = factory(**fields)
    User.objects.filter(pk=user.pk).update(
        date_joined=(last if never_signed_in else last - 365 * DAY),
        last_login=None if never_signed_in else last,
    )
    user.refresh_from_db()
    return user


def run(now=NOW, **kwargs):
    return retention.accounts_retention_run(now=now, **kwargs)


def exists(user) -> bool:
    return User.objects.filter(pk=user.pk).exists()


@pytest.mark.django_db
def test_a_learner_due_a_warning_is_emailed_once(mailoutbox, django_capture_on_commit_callbacks):
    due = unused_for(1095 - 30)
    not_yet = unused_for(1095 - 31)
    never = unused_for(1100, never_signed_in=True)

    with django_capture_on_commit_callbacks(execute=True):
        result = run()

    assert sorted(result.warned) == sorted([due.pk, never.pk])
    assert result.erased == []
    assert [message.to for message in mailoutbox] in (
        [[due.email], [never.email]],
        [[never.email], [due.email]],
    )
    message = next(m for m in mailoutbox if m.to == [due.email])
    assert message.subject == "Your account will be deleted unless you sign in"
    assert "https://learn.example.org/accounts/login/" in message.body
    erase_on = timezone.localtime(NOW + 30 * DAY).date()
    assert f"{erase_on.day} {erase_on:%B %Y}" in message.body
    due.refresh_from_db()
    assert due.retention_warning_sent_at == NOW
    not_yet.refresh_from_db()
    assert not_yet.retention_warning_sent_at is None

    # The next day: nobody is warned twice; the one a day behind is warned now.
    with django_capture_on_commit_callbacks(execute=True):
        assert run(NOW + DAY).warned == [not_yet.pk]
    assert [message.to for message in mailoutbox[2:]] == [[not_yet.email]]


@pytest.mark.django_db
def test_erased_after_the_warning_period_not_before(mailoutbox):
    user = unused_for(1095 - 30)
    run()
    assert run(NOW + 29 * DAY).erased == []
    assert exists(user)

    result = run(NOW + 30 * DAY)

    assert result.erased == [user.pk]
    assert not exists(user)
    entry = ModelLogEntry.objects.get(action=services.ERASE_LOG_ACTION)
    assert entry.user is None
    assert "retention policy" in entry.data["reason"]
    assert entry.data["asked_by"] == "retention policy"
    assert user.email not in str(entry.data) and user.last_name not in entry.label


@pytest.mark.django_db
def test_an_account_long_past_retention_is_warned_first_never_erased_unwarned():
    user = unused_for(2000)
    assert run().erased == []
    assert exists(user)
    assert run(NOW + 29 * DAY).erased == []
    assert run(NOW + 30 * DAY).erased == [user.pk]


@pytest.mark.django_db
def test_signing_in_cancels_the_warning(client, home_page):
    user = unused_for(1095 - 30)
    run()
    # A real sign-in, which sets last_login (Django's user_logged_in receiver).
    client.force_login(user)
    user.refresh_from_db()
    assert user.last_login > NOW

    assert run(NOW + 31 * DAY).erased == []
    assert exists(user)
    # And it is not warned again until it is unused for the whole period once more.
    assert run(NOW + 31 * DAY).warned == []


@pytest.mark.django_db
def test_staff_are_listed_for_site_admins_never_warned_or_erased(client, home_page):
    admin = unused_for(3000, factory=make_site_admin)
    lead = unused_for(3000, factory=make_lead)
    editor = unused_for(3000, factory=lambda **f: with_role(UserFactory(**f), COURSE_EDITOR))
    staff_flag = unused_for(3000, is_staff=True)
    superuser = unused_for(3000, is_superuser=True, is_staff=True)
    recent_admin = make_site_admin()
    staff = [admin, lead, editor, staff_flag, superuser]

    for day in (0, 31, 62):
        result = run(NOW + day * DAY)
        assert result.warned == [] and result.erased == []
        assert result.staff_past_retention == len(staff)
    assert all(exists(user) for user in staff)
    assert set(retention.staff_past_retention(now=NOW)) == set(staff)

    client.force_login(recent_admin)
    page = client.get("/admin/data-requests/").content.decode()
    for user in staff:
        assert f"/admin/data-requests/{user.pk}/" in page
    assert f"/admin/data-requests/{recent_admin.pk}/" not in page


@pytest.mark.django_db
def test_dry_run_changes_nothing(mailoutbox, django_capture_on_commit_callbacks):
    warned = unused_for(1095 - 30)
    with django_capture_on_commit_callbacks(execute=True):
        result = run(dry_run=True)
    assert result.warned == [warned.pk]
    warned.refresh_from_db()
    assert warned.retention_warning_sent_at is None
    assert mailoutbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("phase", ["warn", "select"])
def test_the_job_costs_the_same_queries_for_few_or_many(phase, django_capture_on_commit_callbacks):
    def cost(count: int) -> int:
        User.objects.all().delete()
        for _ in range(count):
            unused_for(1095 - 30)
        unused_for(3000, factory=make_site_admin)
        with CaptureQueriesContext(connection) as queries:
            if phase == "warn":
                with django_capture_on_commit_callbacks(execute=False):
                    assert len(run().warned) == count
            else:
                assert len(run(dry_run=True).warned) == count
        return len(queries)

    assert cost(2) == cost(12)


@pytest.mark.django_db
def test_each_erasure_costs_the_same(django_assert_max_num_queries):
    def cost(count: int) -> int:
        users = [unused_for(1095 - 30) for _ in range(count)]
        run()
        with CaptureQueriesContext(connection) as queries:
            assert sorted(run(NOW + 30 * DAY).erased) == sorted(u.pk for u in users)
        return len(queries)

    one, three = cost(1), cost(3)
    per_person = (three - one) // 2
    assert three - one == 2 * per_person  # a fixed cost per person, nothing that grows


@pytest.mark.django_db
def test_the_command_and_the_scheduler(capsys):
    unused_for(1095 - 30)
    call_command("accounts_retention", "--dry-run")
    assert "would warn: 1; would erase: 0" in capsys.readouterr().out
    call_command("accounts_retention")
    out = capsys.readouterr().out
    assert "warned: 1" in out or "warned: 0" in out  # NOW differs by seconds from the run
    assert "accounts_retention" in [job.command for job in JOBS]
    assert "cohort_invitations_expire" in [job.command for job in JOBS]


@pytest.mark.django_db
def test_a_warning_period_longer_than_the_retention_is_capped(settings):
    settings.ACCOUNT_RETENTION_WARNING_DAYS = 5000
    recent = unused_for(10)
    assert run().warned == [recent.pk]  # warned, at worst, from day 0
    assert run(NOW + 1095 * DAY).erased == [recent.pk]
