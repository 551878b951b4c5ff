"""Exports built in the background hold personal data: they live in the private storage
under random names, leave only through the lead's download view, and are deleted once they
expire (issue 10, item 1).

Before this, `cohort_export_build` wrote `MEDIA_ROOT/cohort-exports/<slug>-learners-<date>`,
which a web server publishes under `/media/`, mode 0644, and kept it for ever.

What these tests prove about "no URL serves the file": with the test settings (DEBUG off)
and with the URLconf reloaded under DEBUG on (when `lms/urls.py` adds Django's `/media/`
view, as the dev server does), no URL but the download view answers 200 for the file; no
URL pattern of the project serves a folder holding PRIVATE_ROOT; and the file is not under
MEDIA_ROOT, which is the folder production's web server publishes. They cannot prove how a
web server outside Django is configured: the README tells it never to publish PRIVATE_ROOT.
"""

import datetime
import importlib
import io
import os
import stat
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse
from django.utils import timezone
from django.views.static import serve

from cohorts import tasks
from cohorts.models import EXPORT_FOLDER, CohortExport
from cohorts.services import cohort_exports_expire
from core.storage import PrivateFileSystemStorage, private_storage

pytestmark = pytest.mark.django_db


# The field's storage as the project configures it, before any test swaps it for a folder
# of its own.
CONFIGURED_STORAGE = CohortExport._meta.get_field("file").storage
CONFIGURED_PRIVATE_ROOT = Path(django_settings.PRIVATE_ROOT)


@pytest.fixture
def storage(settings, tmp_path, monkeypatch):
    """The configured private storage (same backend and options), with PRIVATE_ROOT and
    MEDIA_ROOT moved to this test's own folders, so that "nothing else there" is exact.

    The model field resolved its storage (a callable) when the models loaded, so it is
    resolved again under the changed `STORAGES`, as a freshly started process would.
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            **settings.STORAGES["private"],
            "OPTIONS": {
                **settings.STORAGES["private"]["OPTIONS"],
                "location": tmp_path / "private",
            },
        },
    }
    field = CohortExport._meta.get_field("file")
    if hasattr(field, "_storage_callable"):  # resolve it again, as a fresh process would
        monkeypatch.setattr(field, "storage", field._storage_callable())
    return field.storage


def local_path(storage, name: str) -> Path:
    """Where a file sits on disk: a test-side check that only a local storage allows."""
    if not isinstance(storage, FileSystemStorage):
        pytest.skip("the private storage is not on the local disk")
    return Path(storage.path(name)).resolve()


def grid_url(cohort):
    return reverse("cohorts_admin:grid", args=[cohort.pk])


def request_export(client, cohort, export_format, *, query=""):
    """Press the grid's Download button (a POST; a GET never exports)."""
    return client.post(grid_url(cohort) + query, {"export": export_format})


def download_url(export):
    return reverse("cohorts_admin:export_download", args=[export.cohort_id, export.pk])


@pytest.fixture
def build(client, lead, cohort, settings, storage, django_capture_on_commit_callbacks):
    """Ask for an export as the lead, for a cohort above the background threshold, and run
    the task: the way a lead's export reaches the disk."""
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 1

    def build(export_format="csv"):
        client.force_login(lead)
        with django_capture_on_commit_callbacks(execute=True):
            response = request_export(client, cohort, export_format)
        assert response.status_code == 302
        client.logout()
        export = CohortExport.objects.latest("pk")
        assert export.status == CohortExport.Status.READY
        return export

    return build


@pytest.fixture
def frozen(monkeypatch):
    """Freeze `timezone.now()` (and so `auto_now_add`) at a given moment."""

    def freeze(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    yield freeze
    monkeypatch.undo()


def test_the_export_field_uses_the_configured_private_storage():
    assert CohortExport._meta.get_field("file")._storage_callable is private_storage
    assert django_settings.STORAGES["private"]["BACKEND"] == "core.storage.PrivateFileSystemStorage"
    assert isinstance(CONFIGURED_STORAGE, PrivateFileSystemStorage)
    assert Path(CONFIGURED_STORAGE.location).resolve() == CONFIGURED_PRIVATE_ROOT.resolve()
    assert CONFIGURED_STORAGE.file_permissions_mode == 0o600
    assert CONFIGURED_STORAGE.directory_permissions_mode == 0o700


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_built_export_is_private_and_its_name_unguessable(
    build, storage, cohort, settings, export_format
):
    export = build(export_format)
    name = export.file.name
    folder, basename = name.split("/")
    assert folder == EXPORT_FOLDER and basename.endswith(f".{export_format}")
    stem = basename.removesuffix(f".{export_format}")
    assert len(stem) >= 32  # secrets.token_urlsafe(24)
    for guessable in (
        cohort.name,
        "leading-across-northfield",
        "learners",
        timezone.localdate().isoformat(),
        str(cohort.pk) + "-",
    ):
        assert guessable.lower() not in name.lower(), guessable

    path = local_path(storage, name)
    assert path.is_relative_to(Path(settings.PRIVATE_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    # Nothing at all was written to public media.
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*"))
    assert export.expires_at == export.finished_at + datetime.timedelta(days=7)


def test_the_retention_is_a_setting(build, settings):
    settings.COHORT_EXPORT_RETENTION_DAYS = 2
    export = build()
    assert export.expires_at == export.finished_at + datetime.timedelta(days=2)


def probe_urls(export, cohort) -> list[str]:
    """Every address at which the file could be published, and the download view."""
    name = export.file.name
    basename = name.rsplit("/", 1)[1]
    old_name = tasks.export_filename(cohort, export.format)  # what the file used to be called
    return [
        f"/media/{name}",
        f"/media/{EXPORT_FOLDER}/{basename}",
        f"/media/{basename}",
        f"/media/{EXPORT_FOLDER}/{old_name}",
        f"/private/{name}",
        f"/private/{basename}",
        f"/.test-private/{name}",
        f"/{name}",
    ]


def assert_unreachable(client, export, cohort, other_lead):
    content = export.file.open("rb").read()
    export.file.close()
    assert cohort.members.first().email.encode() in content  # so the checks below can fail

    download = download_url(export)
    anonymous = client.get(download)
    assert anonymous.status_code == 302  # Wagtail's "sign in first"
    assert anonymous["Location"].startswith(reverse("account_login"))
    for url in probe_urls(export, cohort):
        response = client.get(url)
        assert response.status_code == 404, url
        assert content not in response.content, url

    client.force_login(other_lead)
    for url in [download, *probe_urls(export, cohort)]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert content not in response.content, url


def test_no_address_but_the_download_reaches_the_file(client, build, cohort, other_lead):
    assert_unreachable(client, build(), cohort, other_lead)


@pytest.fixture
def debug_urlconf(settings):
    """The project's URLconf as the dev server builds it (DEBUG on: `/media/` is served by
    Django from MEDIA_ROOT), reloaded for this test and put back afterwards."""
    import lms.urls

    settings.DEBUG = True
    importlib.reload(lms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(lms.urls)
    clear_url_caches()


def test_no_address_reaches_the_file_when_django_serves_media(
    client, build, cohort, other_lead, debug_urlconf, settings
):
    """Before the fix this failed: `/media/cohort-exports/<slug>-learners-<date>.csv`
    answered 200 with the cohort's names and emails."""
    assert any(pattern_roots(get_resolver())), "DEBUG's /media/ view is routed"
    # The /media/ view works: a public file there is served, so the 404s below mean
    # something.
    storages["default"].save("proof.txt", ContentFile(b"public"))
    assert client.get("/media/proof.txt").status_code == 200
    assert_unreachable(client, build(), cohort, other_lead)


def pattern_roots(resolver) -> list[Path]:
    """The folder of every URL pattern that serves files with Django's static view."""
    roots = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            roots.extend(pattern_roots(pattern))
        elif isinstance(pattern, URLPattern) and pattern.callback is serve:
            roots.append(Path(pattern.default_args["document_root"]).resolve())
    return roots


def assert_private_root_never_served(settings):
    private = Path(settings.PRIVATE_ROOT).resolve()
    for root in pattern_roots(get_resolver()):
        assert not private.is_relative_to(root), root
        assert not root.is_relative_to(private), root
    for public in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        public = Path(public).resolve()
        assert not private.is_relative_to(public) and not public.is_relative_to(private)


def test_no_url_pattern_serves_the_private_folder(settings):
    assert_private_root_never_served(settings)


def test_no_url_pattern_serves_the_private_folder_with_debug_on(debug_urlconf, settings):
    assert pattern_roots(get_resolver())  # the check below has something to look at
    assert_private_root_never_served(settings)


def cache_directives(response) -> set[str]:
    """(Wagtail's admin adds its own `never_cache` directives to every admin response.)"""
    return {directive.strip() for directive in response["Cache-Control"].split(",")}


def test_the_lead_downloads_the_file_as_a_private_attachment(client, build, lead, cohort):
    export = build()
    client.force_login(lead)
    response = client.get(download_url(export))
    assert response.status_code == 200
    day = timezone.localdate(export.finished_at).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="leading-across-northfield-learners-{day}.csv"'
    )
    assert {"private", "no-store"} <= cache_directives(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content == export.file.open("rb").read()
    export.file.close()
    assert cohort.members.order_by("email").first().email.encode() in content
    # The storage name is the server's business only.
    basename = export.file.name.rsplit("/", 1)[1]
    assert all(basename not in value for _header, value in response.items())


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_exports_built_in_the_request_are_not_cached(client, lead, cohort, export_format):
    client.force_login(lead)
    response = request_export(client, cohort, export_format)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_is_not_found(client, build, lead, storage):
    export = build()
    storage.delete(export.file.name)
    client.force_login(lead)
    assert client.get(download_url(export)).status_code == 404


def test_an_expired_export_is_not_offered_before_it_is_deleted(client, build, lead, cohort):
    export = build()
    CohortExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client.force_login(lead)
    assert client.get(download_url(export)).status_code == 404
    page = client.get(reverse("cohorts_admin:exports", args=[cohort.pk]))
    html = page.content.decode()
    assert "Expired. Ask for it again" in html
    assert download_url(export) not in html


def test_the_exports_page_says_when_each_file_is_deleted(client, build, lead, cohort):
    export = build()
    client.force_login(lead)
    html = client.get(reverse("cohorts_admin:exports", args=[cohort.pk])).content.decode()
    deleted_on = timezone.localtime(export.expires_at).strftime("%-d %b %Y, %H:%M")
    assert "Deleted on" in html and deleted_on in html
    assert "deleted 7 days after it is ready" in html


def test_expiry_deletes_exactly_the_expired_files_and_rows(
    build, lead, cohort, storage, frozen, settings
):
    now = timezone.now()
    long_ago = now - datetime.timedelta(days=8)
    frozen(long_ago)
    old = build()
    old_failed = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status=CohortExport.Status.FAILED
    )
    old_stuck = CohortExport.objects.create(
        cohort=cohort, requested_by=lead, format="csv", status=CohortExport.Status.RUNNING
    )
    frozen(now)
    fresh = build("xlsx")
    frozen(now + datetime.timedelta(minutes=1))
    fresh_pending = CohortExport.objects.create(cohort=cohort, requested_by=lead, format="csv")
    # A copy that an earlier version left in public media.
    public = storages["default"]
    legacy = public.save(
        f"{EXPORT_FOLDER}/leading-across-northfield-learners-2026-11-01.csv",
        ContentFile(b"learner\nAmira Khan\n"),
    )
    assert old.expires_at == long_ago + datetime.timedelta(days=7)

    out = io.StringIO()
    call_command("cohort_exports_expire", stdout=out)

    assert out.getvalue().strip() == "Deleted 4 expired exports."
    remaining = set(CohortExport.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, fresh_pending.pk}
    assert old_failed.pk not in remaining and old_stuck.pk not in remaining
    assert not storage.exists(old.file.name)
    assert storage.exists(fresh.file.name)
    assert not public.exists(legacy)

    # Nothing is left to do until the fresh file's time comes, to the second.
    assert cohort_exports_expire(now=fresh.expires_at - datetime.timedelta(seconds=1)) == 0
    assert storage.exists(fresh.file.name)
    assert cohort_exports_expire(now=fresh.expires_at) == 1
    assert not storage.exists(fresh.file.name)
    assert list(CohortExport.objects.values_list("pk", flat=True)) == [fresh_pending.pk]


def test_expiry_removes_files_left_by_a_deleted_cohort(build, cohort, storage):
    """Deleting a cohort deletes its export rows, but not their files."""
    export = build()
    name = export.file.name
    cohort.delete()
    assert storage.exists(name)

    assert cohort_exports_expire() == 0  # too young: it might be a build in progress
    assert storage.exists(name)
    later = timezone.now() + datetime.timedelta(days=7, minutes=1)
    assert cohort_exports_expire(now=later) == 1
    assert not storage.exists(name)


def test_the_command_says_when_there_is_nothing_to_delete(build):
    build()
    out = io.StringIO()
    call_command("cohort_exports_expire", stdout=out)
    assert out.getvalue().strip() == "Deleted 0 expired exports."
    assert CohortExport.objects.count() == 1


def test_private_files_have_no_url(build, storage):
    export = build()
    with pytest.raises(ValueError, match="no public URL"):
        storage.url(export.file.name)
    with pytest.raises(ValueError, match="no public URL"):
        export.file.url  # noqa: B018 - the property is what is under test
