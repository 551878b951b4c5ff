"""The demo that `make run` seeds (`manage.py seed_demo`): accounts, content, cohorts,
self-assessments and learning sets, and that seeding twice makes nothing more.

Seeding publishes some hundred pages, so the demo is seeded once for the module
(tests/worlds.py) with DEBUG on, as `make run` does, and its on-commit work (certificates)
run as a commit would; each test reads it, and anything a test writes is rolled back.
tests/home/test_seed_demo.py checks that the command refuses to run without DEBUG.
"""

import os
from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from accounts.models import Organisation, User
from assessments.models import DimensionScore, Instrument, Response, Team
from cohorts.models import Cohort
from cohorts.permissions import visible_cohorts, visible_learners
from home.management.commands.seed_demo import DEFAULT_DEMO_PASSWORD
from learning_sets.models import (
    Attendance,
    CheckIn,
    LearningSet,
    Meeting,
    SetMember,
    SharedCommitment,
)
from modules.models import Certificate, Enrolment, LessonPage, ModulePage, ProgrammePage
from tests.worlds import module_world

PASSWORD = "demo-pass-for-tests"  # noqa: S105
LEARNERS = {f"learner{n}@example.org" for n in range(1, 13)}
STAFF = {"admin@example.org", "editor@example.org", "lead@example.org", "lead.two@example.org"}


def table_counts() -> dict[str, int]:
    """Rows in every table of every app's models."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if not model._meta.proxy
    }


def seed(*arguments: str) -> None:
    """Run seed_demo, and its on-commit work as its commit would (it seeds in one
    transaction, which the tests' own transaction keeps from committing)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", *arguments, verbosity=0)


def seed_with_debug_on() -> None:
    with override_settings(DEBUG=True), mock.patch.dict(os.environ, {"DEMO_PASSWORD": PASSWORD}):
        seed()


seeded = module_world(seed_with_debug_on)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_seeding_twice_makes_nothing_more(settings):
    settings.DEBUG = True
    first = table_counts()

    seed()

    assert table_counts() == first


def test_the_command_prints_every_log_in_and_the_password(settings, monkeypatch, capsys):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "Demo data is ready" in out
    assert all(email in out for email in STAFF)
    assert "learner1@example.org … learner12@example.org" in out
    assert f"Password for every account (the default): {DEFAULT_DEMO_PASSWORD}" in out


def test_force_runs_it_without_debug(settings, capsys):
    settings.DEBUG = False

    call_command("seed_demo", "--force")

    assert "Demo data is ready" in capsys.readouterr().out


def test_the_accounts_their_roles_and_organisations():
    assert set(User.objects.values_list("email", flat=True)) == STAFF | LEARNERS
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="editor@example.org").groups.filter(name="Course editor")
    assert User.objects.get(email="lead@example.org").groups.filter(name="Programme lead")
    assert EmailAddress.objects.filter(verified=True).count() == len(STAFF | LEARNERS)
    assert Organisation.objects.values("type").distinct().count() >= 6
    learner_orgs = User.objects.filter(email__startswith="learner").values("organisation")
    assert learner_orgs.distinct().count() >= 6


def test_every_account_has_the_demo_password():
    """The accounts share one hash of the password (hashed once per seed)."""
    accounts = User.objects.all()
    assert accounts
    assert all(account.check_password(PASSWORD) for account in accounts)
    assert not any(account.check_password(DEFAULT_DEMO_PASSWORD) for account in accounts)


def test_a_learner_signs_in_with_the_demo_password_and_opens_the_site(client):
    """Seeded with DEMO_PASSWORD set, so every account has that password."""
    assert client.login(email="learner7@example.org", password=PASSWORD)
    home = client.get("/")
    assert home.status_code == 200
    # The privacy notice, in its template text, linked from the footer.
    assert 'href="/privacy/">Privacy notice</a>' in home.content.decode()
    assert "[Name of your organisation]" in client.get("/privacy/").content.decode()
    lesson = LessonPage.objects.live().first()
    assert client.get(lesson.url).status_code == 200


def test_the_programmes_and_modules_are_live():
    assert ProgrammePage.objects.live().count() == 4
    assert ModulePage.objects.live().count() >= 19


def test_every_demo_module_and_organisation_is_in_the_search_index():
    """The seed indexes each page and organisation once, after its saves, as the site's
    task would after each save (`core.search_index.index_updates_once`)."""
    backend = get_search_backend()
    modules = ModulePage.objects.live()
    assert modules
    for module in modules:
        assert module.pk in {page.pk for page in backend.search(module.title, Page)}, module
    for organisation in Organisation.objects.all():
        hits = backend.search(organisation.name, Organisation)
        assert organisation.pk in {hit.pk for hit in hits}, organisation.name


def test_learners_progress_varies_and_every_completed_module_has_its_certificate():
    enrolments = Enrolment.objects.filter(learner__email__startswith="learner")
    assert enrolments.filter(completed_at__isnull=False).count() >= 4
    assert enrolments.filter(completed_at__isnull=True).count() >= 4
    assert not Enrolment.objects.filter(learner__email="learner12@example.org").exists()
    completed = enrolments.filter(completed_at__isnull=False)
    assert Certificate.objects.filter(enrolment__in=completed).count() == completed.count()


def test_the_demo_lead_has_two_cohorts_and_another_lead_a_third():
    lead = User.objects.get(email="lead@example.org")
    other = User.objects.get(email="lead.two@example.org")
    mine = visible_cohorts(lead)
    assert mine.count() == 2
    for cohort in mine:
        organisations = {member.organisation_id for member in visible_learners(lead, cohort)}
        assert len(organisations) >= 4, cohort.name
    theirs = Cohort.objects.exclude(pk__in=mine.values("pk")).get()
    assert list(visible_cohorts(other)) == [theirs]
    only_theirs = set(visible_learners(other)) - set(visible_learners(lead))
    assert only_theirs, "the other cohort should have members the demo lead cannot see"


def test_instruments_responses_and_teams_on_either_side_of_the_threshold(settings):
    assert Instrument.objects.live().count() == 5
    strengths = Instrument.objects.get(slug="strengths-self-profile")
    learner1_attempts = Response.objects.submitted().filter(
        learner__email="learner1@example.org", instrument=strengths
    )
    assert learner1_attempts.count() == 2
    assert DimensionScore.objects.filter(response__in=learner1_attempts).count() == 24
    submitted = {
        team.name: team.responses.submitted().values("learner").distinct().count()
        for team in Team.objects.all()
    }
    assert submitted["Riverside discharge team"] >= settings.MIN_GROUP_SIZE
    assert 0 < submitted["Northfield reablement huddle"] < settings.MIN_GROUP_SIZE


def test_two_mixed_learning_sets_with_meetings_commitments_and_check_ins():
    lead = User.objects.get(email="lead@example.org")
    sets = LearningSet.objects.filter(cohort__leads=lead).order_by("name")
    assert sets.count() == 2
    assert {s.cohort.name for s in sets} == {"Northfield system leadership 2026"}
    now = timezone.now()
    for learning_set in sets:
        members = SetMember.objects.filter(learning_set=learning_set)
        organisations = set(members.values_list("learner__organisation", flat=True))
        assert len(organisations) >= 3, learning_set.name
        meetings = Meeting.objects.filter(learning_set=learning_set)
        assert meetings.filter(starts_at__lt=now).count() == 2
        assert meetings.filter(starts_at__gte=now).count() == 1
        assert Attendance.objects.filter(meeting__learning_set=learning_set).count() == (
            2 * members.count()
        )
        assert SharedCommitment.objects.filter(learning_set=learning_set).exists()
        assert CheckIn.objects.filter(commitment__learning_set=learning_set).exists()
        assert learning_set.facilitator is not None
    assert SetMember.objects.filter(learner__email="learner1@example.org").count() == 1
    assert not SetMember.objects.filter(learner__email="learner9@example.org").exists()
