import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command

from accounts.models import Organisation, User
from modules.models import Certificate, Enrolment, LessonPage, ModulePage, ProgrammePage

SEEDED_APPS = {"accounts", "home", "modules", "auth", "account", "wagtailcore", "mfa", "taggit"}


def table_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in SEEDED_APPS and not model._meta.proxy
    }


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug_or_force(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only runs when DEBUG is on"):
        call_command("seed_demo")
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_seed_demo_creates_accounts_and_is_idempotent(
    settings, client, capsys, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-for-tests")
    settings.DEBUG = True

    # seed_demo runs in one transaction; certificates are generated once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    first = table_counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")

    assert table_counts() == first
    out = capsys.readouterr().out
    assert "admin@example.org" in out and "demo-pass-for-tests" in out
    emails = set(User.objects.values_list("email", flat=True))
    expected = {
        "admin@example.org",
        "editor@example.org",
        "lead@example.org",
        "lead.two@example.org",
    } | {f"learner{n}@example.org" for n in range(1, 13)}
    assert emails == expected
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.get(email="editor@example.org").groups.filter(name="Course editor")
    assert User.objects.get(email="lead@example.org").groups.filter(name="Programme lead")
    assert EmailAddress.objects.filter(verified=True).count() == len(expected)
    assert Organisation.objects.values("type").distinct().count() >= 6
    learner_orgs = User.objects.filter(email__startswith="learner").values("organisation")
    assert learner_orgs.distinct().count() >= 6

    assert client.login(email="learner7@example.org", password="demo-pass-for-tests")
    home = client.get("/")
    assert home.status_code == 200
    # The privacy notice, in its template text, linked from the footer.
    assert 'href="/privacy/">Privacy notice</a>' in home.content.decode()
    assert "[Name of your organisation]" in client.get("/privacy/").content.decode()

    assert ProgrammePage.objects.live().count() == 4
    assert ModulePage.objects.live().count() >= 19
    lesson = LessonPage.objects.live().first()
    assert client.get(lesson.url).status_code == 200

    # Varied progress: some learners finished modules, some are part-way, some not started.
    enrolments = Enrolment.objects.filter(learner__email__startswith="learner")
    assert enrolments.filter(completed_at__isnull=False).count() >= 4
    assert enrolments.filter(completed_at__isnull=True).count() >= 4
    assert not Enrolment.objects.filter(learner__email="learner12@example.org").exists()
    # Every completed module has its certificate.
    completed = enrolments.filter(completed_at__isnull=False)
    assert Certificate.objects.filter(enrolment__in=completed).count() == completed.count()


@pytest.mark.django_db
def test_seed_demo_force_runs_without_debug(settings):
    settings.DEBUG = False

    call_command("seed_demo", "--force", verbosity=0)

    assert User.objects.filter(email="admin@example.org").exists()
