"""Settings › Data requests: a site admin finds a person, sees counts of what the site
holds, and produces their data download or erases them, each with a reason, logged."""

import pytest
from wagtail.models import ModelLogEntry

from accounts import data_requests, services
from accounts.models import DataExport, User
from accounts.privacy import pseudonym
from accounts.roles import COURSE_EDITOR
from tests.cohorts.factories import make_lead, make_site_admin, with_role
from tests.factories import UserFactory

from . import privacy_world as world_module
from .privacy_world import build_world

INDEX = "/admin/data-requests/"


def person_url(user_or_pk, action=""):
    pk = getattr(user_or_pk, "pk", user_or_pk)
    return f"/admin/data-requests/{pk}/{action + '/' if action else ''}"


@pytest.fixture
def admin(db):
    return make_site_admin()


@pytest.fixture
def admin_client(client, admin):
    make_site_admin()  # a second one, so that erasing is never refused for being the last
    client.force_login(admin)
    return client


@pytest.fixture
def world(home_page):
    return build_world(home_page)


def html(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["learner", "lead", "editor"])
def test_nobody_but_a_site_admin_gets_in(client, home_page, role):
    person = UserFactory()
    user = {
        "learner": lambda: with_role(UserFactory()),
        "lead": make_lead,
        "editor": lambda: with_role(UserFactory(), COURSE_EDITOR),
    }[role]()
    client.force_login(user)
    expected = 403 if role == "learner" else 302
    for url in (
        INDEX,
        person_url(person),
        person_url(person, "export"),
        person_url(person, "erase"),
    ):
        assert client.get(url).status_code == expected, url
        assert client.post(url, {"reason": "x", "confirmed": "true"}).status_code == expected
    assert User.objects.filter(pk=person.pk).exists()
    assert not ModelLogEntry.objects.filter(action=services.ERASE_LOG_ACTION).exists()


@pytest.mark.django_db
def test_the_menu_shows_data_requests_to_site_admins_only(client, home_page, admin):
    client.force_login(admin)
    assert INDEX in html(client.get("/admin/"))
    client.force_login(make_lead())
    assert INDEX not in html(client.get("/admin/cohorts/"))


@pytest.mark.django_db
def test_find_by_exact_email_ignoring_case(admin_client, home_page):
    person = UserFactory(email="rosa.lane@example.org")
    response = admin_client.post(INDEX, {"email": "  Rosa.Lane@EXAMPLE.org "})
    assert response.status_code == 302
    assert response["Location"] == person_url(person)

    # A part of an address finds nobody, and says so next to the field.
    page = html(admin_client.post(INDEX, {"email": "rosa@example.org"}))
    assert "Nobody has an account with this email address" in page
    page = html(admin_client.post(INDEX, {"email": "not an address"}))
    assert "Enter an email address in the correct format" in page


@pytest.mark.django_db
def test_the_person_page_shows_counts_and_no_private_text(admin_client, world):
    page = html(admin_client.get(person_url(world.learner)))

    assert world_module.EMAIL in page
    for section in ("account", "learning", "self_assessments", "cohorts"):
        assert f'data-section="{section}"' in page, section
    for secret in (
        world_module.REFLECTION,
        world_module.COMMITMENT,
        world_module.CYCLE_PLAN,
        world_module.TEAM_NAME,
        world_module.CERTIFICATE_CODE,
        world_module.OTHER_EMAIL,
        "QuillBrowser",
    ):
        assert secret not in page, secret
    summary = {s.section: dict(s.counts) for s in data_requests.data_summary(world.learner)}
    assert summary["account"]["Email addresses"] == 2


@pytest.mark.django_db
def test_the_person_page_costs_the_same_for_a_busier_person(admin_client, world):
    """No query per record: more addresses, audit entries and answers cost nothing more."""
    from allauth.account.models import EmailAddress
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.log_actions import log

    with CaptureQueriesContext(connection) as before:
        assert admin_client.get(person_url(world.learner)).status_code == 200
    for n in range(3):
        EmailAddress.objects.create(user=world.learner, email=f"zq{n}@example.net")
        log(world.learner, "wagtail.edit", user=world.admin)
        log(world.cohort, "wagtail.edit", user=world.learner)
    with CaptureQueriesContext(connection) as after:
        assert admin_client.get(person_url(world.learner)).status_code == 200

    assert len(after) == len(before), [q["sql"][:150] for q in after.captured_queries]


@pytest.mark.django_db
def test_produce_the_export_needs_a_reason_then_calls_the_service_and_logs(
    admin_client, admin, world, django_capture_on_commit_callbacks
):
    url = person_url(world.learner, "export")
    assert "Give the reason" in html(admin_client.post(url, {"reason": "  "}))
    assert "1000 characters or fewer" in html(admin_client.post(url, {"reason": "x" * 100_000}))
    assert (
        not DataExport.objects.filter(user=world.learner)
        .exclude(status=DataExport.Status.FAILED)
        .exists()
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"reason": "Subject access request ref 2026/114"})

    assert response.status_code == 302
    assert response["Location"] == person_url(world.learner)
    export = DataExport.objects.get(user=world.learner, requested_by=admin)
    assert export.reason == "Subject access request ref 2026/114"
    assert export.status == DataExport.Status.READY  # built by the (immediate) task
    entry = ModelLogEntry.objects.get(action=data_requests.DATA_EXPORT_LOG_ACTION)
    assert entry.user == admin
    assert entry.object_id == str(world.learner.pk)
    assert entry.label == f"Person {pseudonym(world.learner)}"
    assert world_module.LAST_NAME not in entry.label
    assert entry.data == {"reason": "Subject access request ref 2026/114"}


@pytest.mark.django_db
def test_a_refused_export_is_shown_and_not_logged(admin_client, world):
    DataExport.objects.create(user=world.learner, status=DataExport.Status.BUILDING)
    page = html(admin_client.post(person_url(world.learner, "export"), {"reason": "SAR 7"}))
    assert "already being prepared" in page
    assert not ModelLogEntry.objects.filter(action=data_requests.DATA_EXPORT_LOG_ACTION).exists()
    assert DataExport.objects.filter(user=world.learner).count() == 2  # the world's + ours


@pytest.mark.django_db
def test_hostile_ids_and_inputs(admin_client, world):
    for url in (person_url("9" * 20), person_url("9" * 20, "erase"), person_url(-1)):
        assert admin_client.get(url).status_code == 404
    assert admin_client.post(INDEX, {"email": "a@b.org\x00"}).status_code == 400
    assert admin_client.post(INDEX, {"email": "x" * 100_000}).status_code == 200
    response = admin_client.post(person_url(world.learner, "erase"), {"reason": "\x00"})
    assert response.status_code == 400
    assert User.objects.filter(pk=world.learner.pk).exists()
    assert (
        not DataExport.objects.filter(user=world.learner, requested_by__isnull=False)
        .exclude(reason="Asked for by letter")
        .exists()
    )
