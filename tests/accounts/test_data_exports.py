"""Download my data (issue 12, item 1): a person asks on their "Your data" page, the worker
builds a ZIP of everything the providers export into the private storage, the person is
emailed a link to the page, downloads it signed in, and it is deleted once it expires."""

import datetime
import io
import json
import re
import threading
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import data_exports
from accounts.data_export_archive import SCHEMA_VERSION, safe_path
from accounts.data_exports import (
    STALE_AFTER,
    DataExportInProgress,
    DataExportRefused,
    data_export_build,
    data_export_request,
    data_exports_expire,
)
from accounts.models import DATA_EXPORT_FOLDER, DataExport
from accounts.roles import SITE_ADMIN
from accounts.services import account_erase
from core.management.commands.scheduler import JOBS
from tests.cohorts.factories import with_role
from tests.factories import UserFactory
from tests.task_queue import database_queue  # noqa: F401 (a fixture)

from .data_exports import HOSTILE, FakeProvider, use_private_folder, use_provider

pytestmark = pytest.mark.django_db

PAGE = "/accounts/data/"


@pytest.fixture
def storage(settings, monkeypatch, tmp_path):
    return use_private_folder(settings, monkeypatch, tmp_path / "private")


@pytest.fixture
def provider(monkeypatch):
    return use_provider(monkeypatch, FakeProvider())


@pytest.fixture
def person(db):
    return UserFactory(email="amira@example.org", first_name="Amira", last_name="Khan")


def download_url(export) -> str:
    return reverse("accounts_data_download", args=[export.pk])


def ask(client, person):
    """Ask on the page, as the person would; the task runs (immediate backend) when the
    request's transaction commits, and the email it queues is sent."""
    client.force_login(person)
    response = client.post(PAGE)
    return response


def zip_of(export) -> zipfile.ZipFile:
    with export.file.open("rb") as handle:
        content = handle.read()
    return zipfile.ZipFile(io.BytesIO(content))


def build_for(person, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=person)
    export.refresh_from_db()
    return export


# Asking, building, emailing ----------------------------------------------------------


def test_asking_on_the_page_builds_the_zip_and_emails_a_link_to_the_page(
    client, person, provider, storage, mailoutbox, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://unused.example.org"

    response = ask(client, person)

    assert response.status_code == 302 and response["Location"] == PAGE
    export = DataExport.objects.get()
    assert export.status == DataExport.Status.READY
    assert export.user == person and export.requested_by == person and export.reason == ""
    assert export.expires_at == export.ready_at + datetime.timedelta(days=7)
    assert export.size == storage.size(export.file.name) > 0
    folder, name = export.file.name.split("/")
    assert folder == DATA_EXPORT_FOLDER and name.endswith(".zip") and len(name) >= 36
    assert "amira" not in name.lower()
    # Only in the private folder.
    assert (Path(settings.PRIVATE_ROOT) / export.file.name).is_file()

    [message] = mailoutbox
    assert message.to == ["amira@example.org"]
    assert message.subject == "Your data is ready to download"
    # The link is to the page on the address the person used, which needs a sign-in.
    assert "http://testserver/accounts/data/" in message.body
    assert download_url(export) not in message.body
    expires = timezone.localtime(export.expires_at).strftime("%-d %B %Y")
    assert f"You can download it until {expires}" in message.body
    assert "The Leading Together team" in message.body

    page = client.get(PAGE).content.decode()
    assert "We are preparing your data. We will email you at amira@example.org" in page
    assert "Ready to download" in page and download_url(export) in page


def test_the_email_names_the_service_from_the_site_settings(
    person, provider, storage, mailoutbox, home_page, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.service_name = "Northfield Learning"
    site_settings.save()

    export = build_for(person, django_capture_on_commit_callbacks)

    assert "The Northfield Learning team" in mailoutbox[0].body
    assert "Northfield Learning" in mailoutbox[0].body.split("\n")[2]
    header = json.loads(zip_of(export).read("data.json"))
    assert header["site_name"] == "Northfield Learning"


def test_the_request_is_queued_for_the_worker_not_built_in_the_request(
    client, person, provider, storage, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(person)

    assert client.post(PAGE).status_code == 302

    export = DataExport.objects.get()
    assert export.status == DataExport.Status.QUEUED and not export.file
    page = client.get(PAGE).content.decode()
    assert "Being prepared" in page
    assert "Ask for a new download" not in page  # no button while one is being built


def test_the_zip_holds_json_readme_html_and_the_providers_files(
    person, provider, storage, django_capture_on_commit_callbacks
):
    EmailAddress.objects.create(user=person, email="amira.k@example.net", verified=False)

    export = build_for(person, django_capture_on_commit_callbacks)
    archive = zip_of(export)

    names = archive.namelist()
    assert names[:3] == ["data.json", "README.md", "index.html"]
    # The fake provider's two notes, and the real journal (empty: no certificates yet).
    assert set(names[3:]) == {
        "journal.md",
        "notes/amira.k@example.net.md",
        "notes/amira@example.org.md",
    }
    assert archive.read("notes/amira@example.org.md") == b"# amira@example.org\n"

    data = json.loads(archive.read("data.json"))
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["email"] == "amira@example.org"
    assert data["site_name"] == "Leading Together"
    generated = datetime.datetime.fromisoformat(data["generated_at"])
    assert abs(generated - timezone.now()) < datetime.timedelta(minutes=1)
    assert data["files"] == names[3:]
    assert data["sections"]["fake_section"]["note"] == HOSTILE
    assert data["sections"]["fake_section"]["email_addresses"] == [
        {"email": "amira.k@example.net", "verified": False},
        {"email": "amira@example.org", "verified": True},
    ]

    readme = archive.read("README.md").decode()
    assert "### `sections.fake_section`: Fake section" in readme
    assert "#### account.EmailAddress" in readme
    assert "Fields: `user`, `email`" in readme
    assert "Why it is held: So that the fake provider has something to say." in readme
    for key in ("schema_version", "generated_at", "site_name", "files", "sections"):
        assert f"`{key}`" in readme
    assert "- `notes/amira@example.org.md`" in readme

    html = archive.read("index.html").decode()
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert re.search(r'<h2 id="section-\d+">Fake section</h2>', html)
    assert "amira.k@example.net" in html
    assert "<caption>Email addresses</caption>" in html
    assert '<a href="notes/amira%40example.org.md">notes/amira@example.org.md</a>' in html
    # Standalone: nothing is fetched from anywhere.
    for external in ("http://", "https://", "<script", "<link", "src="):
        assert external not in html.lower(), external


def test_the_html_page_escapes_what_people_wrote(
    person, monkeypatch, storage, django_capture_on_commit_callbacks
):
    use_provider(monkeypatch, FakeProvider(note=HOSTILE))
    person.first_name = "<img src=x onerror=alert(1)>"
    person.save()

    html = zip_of(build_for(person, django_capture_on_commit_callbacks)).read("index.html")

    text = html.decode()
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quotes&quot;" in text


def test_the_real_providers_export_into_the_zip(
    person, storage, django_capture_on_commit_callbacks
):
    """Whatever providers are registered (none, before the apps' own land) fill the JSON
    and the README without a fake one."""
    from accounts.privacy import registry

    export = build_for(person, django_capture_on_commit_callbacks)
    archive = zip_of(export)
    data = json.loads(archive.read("data.json"))
    assert set(data["sections"]) == {provider.section for provider in registry}
    readme = archive.read("README.md").decode()
    for provider in registry:
        assert f"`sections.{provider.section}`" in readme


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "etc/passwd"),
        ("/abs/path.pdf", "abs/path.pdf"),
        ("a\\..\\..\\b.md", "b.md"),
        ("data.json", "files/data.json"),
        ("INDEX.HTML", "files/INDEX.HTML"),
        ("", "file"),
        ("nul\x00.md", "nul.md"),
    ],
)
def test_a_providers_path_stays_inside_the_zip(given, expected):
    assert safe_path(given, {"data.json", "readme.md", "index.html"}) == expected


def test_two_files_with_one_path_are_both_kept():
    taken = {"data.json"}
    assert [safe_path("journal.md", taken) for _ in range(3)] == [
        "journal.md",
        "journal-2.md",
        "journal-3.md",
    ]


# One build at a time -----------------------------------------------------------------


def test_a_second_request_while_one_is_being_built_is_refused(client, person, provider, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(person)
    client.post(PAGE)

    response = client.post(PAGE)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Your data is already being prepared." in html
    assert "<title>Error: Your data" in html
    assert DataExport.objects.count() == 1


def test_the_database_allows_one_build_at_a_time_per_person(person):
    DataExport.objects.create(user=person, status=DataExport.Status.BUILDING)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(user=person, status=DataExport.Status.QUEUED)
    # Anyone else, and any number of finished ones, are fine.
    DataExport.objects.create(user=UserFactory(), status=DataExport.Status.QUEUED)
    DataExport.objects.create(user=person, status=DataExport.Status.FAILED)
    DataExport.objects.create(user=person, status=DataExport.Status.READY)


def test_a_request_that_loses_the_race_to_the_constraint_is_refused(person, monkeypatch):
    """If the check misses a build that another request has just recorded, the constraint
    refuses the second, with the same message."""
    DataExport.objects.create(user=person)
    monkeypatch.setattr(data_exports, "_build_in_progress", lambda user: False)

    with pytest.raises(DataExportInProgress, match="already being prepared"):
        data_export_request(user=person)

    assert DataExport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_make_one_build(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    person = UserFactory()
    barrier = threading.Barrier(2)
    made, refused, errors = [], [], []

    def request():
        try:
            barrier.wait(timeout=5)
            made.append(data_export_request(user=person))
        except DataExportInProgress as refusal:
            refused.append(refusal)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _click in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert len(made) == 1 and len(refused) == 1
    assert DataExport.objects.filter(user=person).count() == 1


def test_a_build_that_lost_its_worker_does_not_block_the_person_for_ever(person, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    stuck = DataExport.objects.create(
        user=person,
        status=DataExport.Status.BUILDING,
        requested_at=timezone.now() - STALE_AFTER - datetime.timedelta(minutes=1),
    )

    fresh = data_export_request(user=person)

    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED
    assert fresh.status == DataExport.Status.QUEUED


def test_a_new_download_replaces_the_ready_one_once_it_is_ready(
    person, provider, storage, django_capture_on_commit_callbacks
):
    first = build_for(person, django_capture_on_commit_callbacks)
    failed = DataExport.objects.create(user=person, status=DataExport.Status.FAILED)

    second = build_for(person, django_capture_on_commit_callbacks)

    assert list(DataExport.objects.filter(user=person)) == [second]
    assert not storage.exists(first.file.name)
    assert storage.exists(second.file.name)
    assert not DataExport.objects.filter(pk=failed.pk).exists()


def test_while_the_new_one_is_built_the_ready_one_stays_downloadable(
    client, person, provider, storage, django_capture_on_commit_callbacks, settings
):
    ready = build_for(person, django_capture_on_commit_callbacks)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client.force_login(person)

    assert client.post(PAGE).status_code == 302

    assert client.get(download_url(ready)).status_code == 200


# A site admin acting for someone -------------------------------------------------------


def test_a_site_admin_may_ask_for_someone_with_a_reason(
    person, provider, storage, mailoutbox, django_capture_on_commit_callbacks
):
    admin = with_role(UserFactory(), SITE_ADMIN)

    with pytest.raises(DataExportRefused, match="Give the reason"):
        data_export_request(user=person, requested_by=admin, reason="   ")
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(
            user=person, requested_by=admin, reason="Subject access request by letter"
        )

    export.refresh_from_db()
    assert export.requested_by == admin and export.reason == "Subject access request by letter"
    assert export.status == DataExport.Status.READY
    [message] = mailoutbox
    assert message.to == [person.email]
    assert "the administrators of Leading Together have prepared" in message.body
    assert "someone may know your password" not in message.body


def test_nobody_else_may_ask_for_someones_data(person):
    with pytest.raises(DataExportRefused, match="Only a site admin"):
        data_export_request(user=person, requested_by=UserFactory(), reason="Curious")
    assert not DataExport.objects.exists()


def test_a_reason_longer_than_the_field_is_refused(person):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(Exception, match="at most 500"):
        data_export_request(user=person, requested_by=admin, reason="x" * 100_000)
    assert not DataExport.objects.exists()


# Failure -------------------------------------------------------------------------------


def test_a_build_that_fails_is_marked_failed_and_the_person_can_ask_again(
    client, person, monkeypatch, storage, mailoutbox
):
    use_provider(monkeypatch, FakeProvider(fail=True))

    ask(client, person)

    export = DataExport.objects.get()
    assert export.status == DataExport.Status.FAILED and not export.file
    assert mailoutbox == []
    assert not any(Path(storage.location).rglob("*.zip"))
    page = client.get(PAGE).content.decode()
    assert "Could not be prepared" in page
    assert "Something went wrong while we prepared your data." in page
    assert "Ask for a new download" in page


@pytest.mark.usefixtures("database_queue")
def test_the_worker_records_a_failed_build_as_a_failed_task(
    person, monkeypatch, storage, django_capture_on_commit_callbacks
):
    from tests.task_queue import run_worker, task_paths

    use_provider(monkeypatch, FakeProvider(fail=True))
    with django_capture_on_commit_callbacks(execute=True):
        data_export_request(user=person)

    run_worker()

    assert task_paths("FAILED") == ["accounts.tasks.data_export_build"]
    assert DataExport.objects.get().status == DataExport.Status.FAILED


def test_a_build_runs_once_however_often_its_task_runs(
    person, provider, storage, django_capture_on_commit_callbacks
):
    export = build_for(person, django_capture_on_commit_callbacks)

    assert data_export_build(export_id=export.pk, base_url="http://x/") is None
    assert data_export_build(export_id=9_999_999, base_url="http://x/") is None


def test_a_person_erased_while_their_download_is_built_leaves_no_file(
    person, provider, storage, monkeypatch, django_capture_on_commit_callbacks
):
    export = DataExport.objects.create(user=person)
    real_write = data_exports.archive_write

    def write_then_vanish(output, **kwargs):
        real_write(output, **kwargs)
        DataExport.objects.filter(pk=export.pk).delete()

    monkeypatch.setattr(data_exports, "archive_write", write_then_vanish)
    with django_capture_on_commit_callbacks(execute=True):
        assert data_export_build(export_id=export.pk, base_url="http://x/") is None

    assert not any(Path(storage.location).rglob("*.zip"))


# The download --------------------------------------------------------------------------


def cache_directives(response) -> set[str]:
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


def test_the_person_downloads_their_zip_as_a_private_attachment(
    client, person, provider, storage, django_capture_on_commit_callbacks
):
    export = build_for(person, django_capture_on_commit_callbacks)
    client.force_login(person)

    response = client.get(download_url(export))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    day = timezone.localdate(export.ready_at).isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="your-data-{day}.zip"'
    assert {"private", "no-store"} <= cache_directives(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert zipfile.ZipFile(io.BytesIO(body)).read("data.json")
    basename = export.file.name.rsplit("/", 1)[1]
    assert all(basename not in value for _header, value in response.items())


def test_nobody_else_reaches_the_download(
    client, person, provider, storage, django_capture_on_commit_callbacks
):
    export = build_for(person, django_capture_on_commit_callbacks)
    url = download_url(export)

    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    for someone in (UserFactory(), UserFactory(is_superuser=True, is_staff=True)):
        client.force_login(someone)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 405
        # Their own page says nothing of it.
        assert url not in client.get(PAGE).content.decode()

    client.force_login(person)
    for guessed in (export.pk + 1, 0, "9" * 18):
        assert client.get(f"/accounts/data/{guessed}/download/").status_code == 404
    for bad in ("9" * 20, "-1", "abc"):
        assert client.get(f"/accounts/data/{bad}/download/").status_code == 404
    assert client.get("/accounts/data/1%00/download/").status_code == 400


def test_a_download_not_ready_is_not_found(client, person):
    client.force_login(person)
    for status in (DataExport.Status.QUEUED, DataExport.Status.FAILED):
        export = DataExport.objects.create(user=person, status=status)
        assert client.get(download_url(export)).status_code == 404
        export.delete()


def test_a_missing_file_is_not_found(
    client, person, provider, storage, django_capture_on_commit_callbacks
):
    export = build_for(person, django_capture_on_commit_callbacks)
    storage.delete(export.file.name)
    client.force_login(person)
    assert client.get(download_url(export)).status_code == 404


def test_an_expired_download_is_gone_before_it_is_deleted(
    client, person, provider, storage, django_capture_on_commit_callbacks
):
    export = build_for(person, django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(person)

    response = client.get(download_url(export))

    assert response.status_code == 410
    html = response.content.decode()
    assert "This download has expired" in html
    assert "deleted 7 days after they are ready" in html
    assert reverse("accounts_data") in html
    page = client.get(PAGE).content.decode()
    assert "Expired" in page and download_url(export) not in page
    assert "Your last download has been deleted." in page
    # Someone else still gets "not found", not "gone".
    client.force_login(UserFactory())
    assert client.get(download_url(export)).status_code == 404


# The page ------------------------------------------------------------------------------


def test_the_page_explains_the_download_and_offers_the_button(client, person):
    client.force_login(person)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
    html = response.content.decode()
    assert '<h1 class="nhsuk-heading-xl">Your data</h1>' in html
    assert "What the download contains" in html
    assert "deleted 7 days after it is ready" in html
    assert "You have not asked for a download yet." in html
    assert "Ask for a download of your data" in html
    assert 'href="/accounts/profile/"' in html  # the back link


def test_the_page_needs_a_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.post(PAGE).status_code == 302
    assert not DataExport.objects.exists()


def test_the_profile_links_to_the_page(client, person):
    client.force_login(person)
    assert 'href="/accounts/data/"' in client.get("/accounts/profile/").content.decode()


def test_the_page_costs_the_same_queries_however_many_downloads_there_were(
    client, person, django_assert_max_num_queries
):
    client.force_login(person)
    DataExport.objects.create(user=person, status=DataExport.Status.FAILED)
    client.get(PAGE)  # sessions and settings warm up
    with django_assert_max_num_queries(7):
        client.get(PAGE)
    for _ in range(20):
        DataExport.objects.create(user=person, status=DataExport.Status.FAILED)
    with django_assert_max_num_queries(7):
        client.get(PAGE)


# The build's cost ----------------------------------------------------------------------


def count_build_queries(person, *, addresses: int) -> int:
    for number in range(addresses):
        EmailAddress.objects.create(user=person, email=f"extra{number}@example.org")
    export = DataExport.objects.create(user=person)

    with CaptureQueriesContext(connection) as queries:
        data_export_build(export_id=export.pk, base_url="http://testserver/")
    DataExport.objects.all().delete()
    EmailAddress.objects.filter(email__startswith="extra").delete()
    return len(queries)


def test_the_build_costs_the_same_queries_for_one_file_or_forty(
    person, provider, storage, home_page
):
    count_build_queries(person, addresses=0)  # warm the caches a running worker has warm
    few = count_build_queries(person, addresses=0)
    many = count_build_queries(person, addresses=40)

    assert few == many
    # Every real provider's export and files, plus the fake one's: about one query per
    # kind of record, whatever the person holds. (57 once learning sets joined the export;
    # the headroom is for the next app's few kinds of record.)
    assert few <= 64, few


# Expiry --------------------------------------------------------------------------------


def test_expiry_deletes_exactly_the_expired_files_and_rows(
    person, provider, storage, django_capture_on_commit_callbacks
):
    now = timezone.now()
    old = build_for(UserFactory(), django_capture_on_commit_callbacks)
    DataExport.objects.filter(pk=old.pk).update(expires_at=now - datetime.timedelta(seconds=1))
    fresh = build_for(person, django_capture_on_commit_callbacks)
    DataExport.objects.create(  # failed long ago
        user=UserFactory(),
        status=DataExport.Status.FAILED,
        requested_at=now - datetime.timedelta(days=8),
    )
    recent_failed = DataExport.objects.create(user=UserFactory(), status=DataExport.Status.FAILED)
    stuck = DataExport.objects.create(
        user=UserFactory(),
        status=DataExport.Status.BUILDING,
        requested_at=now - STALE_AFTER - datetime.timedelta(seconds=1),
    )
    queued = DataExport.objects.create(user=UserFactory())
    orphan = storage.save(f"{DATA_EXPORT_FOLDER}/left.zip", ContentFile(b"PK"))

    out = io.StringIO()
    call_command("data_exports_expire", stdout=out)

    assert out.getvalue().strip() == "Deleted 2 expired data downloads."
    assert set(DataExport.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        recent_failed.pk,
        stuck.pk,
        queued.pk,
    }
    stuck.refresh_from_db()
    assert stuck.status == DataExport.Status.FAILED  # so the person may ask again
    assert not storage.exists(old.file.name)
    assert storage.exists(fresh.file.name)
    assert storage.exists(orphan)  # too young: it might be a build in progress

    later = now + STALE_AFTER + datetime.timedelta(minutes=1)
    assert data_exports_expire(now=later) == 1
    assert not storage.exists(orphan)
    DataExport.objects.exclude(pk=fresh.pk).delete()
    assert data_exports_expire(now=fresh.expires_at - datetime.timedelta(seconds=1)) == 0
    assert data_exports_expire(now=fresh.expires_at) == 1
    assert not storage.exists(fresh.file.name)


def test_the_retention_is_a_setting(
    person, provider, storage, settings, django_capture_on_commit_callbacks
):
    settings.DATA_EXPORT_RETENTION_DAYS = 2
    export = build_for(person, django_capture_on_commit_callbacks)
    assert export.expires_at == export.ready_at + datetime.timedelta(days=2)


def test_the_scheduler_expires_downloads_hourly():
    [job] = [job for job in JOBS if job.command == "data_exports_expire"]
    assert job.interval_seconds == 3600


@pytest.mark.django_db
def test_erasure_deletes_the_downloads_and_their_files(django_capture_on_commit_callbacks):
    person = UserFactory()
    export = build_for(person, django_capture_on_commit_callbacks)
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=person)
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not storage.exists(name)
