"""Background exports on S3 (issue 11, item 3): built into the private bucket (or the
`private/` prefix of the media bucket), never readable by an anonymous request, and
downloaded only through the lead's permission-checked view.

These talk to a real S3 API on loopback: run them through `scripts/with-s3` (`make test`
does, with EXPECT_S3=1 so that they cannot silently skip).
"""

import os

import pytest
from django.urls import reverse

from cohorts.models import EXPORT_FOLDER, CohortExport
from core.s3 import PrivateS3Storage
from tests import s3

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["private bucket", "private prefix"])
def shape(request, settings, monkeypatch):
    return s3.private_storage_on_s3(
        request, settings, monkeypatch, CohortExport._meta.get_field("file")
    )


@pytest.fixture
def export(client, lead, cohort, settings, shape, django_capture_on_commit_callbacks):
    """A lead's export of a cohort above the background threshold, built by the task."""
    settings.COHORT_EXPORT_BACKGROUND_THRESHOLD = 1
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cohorts_admin:grid", args=[cohort.pk]), {"export": "csv"})
    assert response.status_code == 302
    client.logout()
    export = CohortExport.objects.latest("pk")
    assert export.status == CohortExport.Status.READY
    return export


def download_url(export):
    return reverse("cohorts_admin:export_download", args=[export.cohort_id, export.pk])


def test_the_test_run_reads_the_s3_settings(settings):
    s3.require_s3()
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert settings.STORAGES["private"]["BACKEND"] == "core.s3.PrivateS3Storage"
    assert isinstance(CohortExport._meta.get_field("file").storage, PrivateS3Storage)


def test_the_export_is_built_into_the_private_bucket_only(export, shape):
    bucket, prefix = shape
    key = prefix + export.file.name
    assert export.file.name.startswith(f"{EXPORT_FOLDER}/")
    assert key in s3.keys(bucket)
    body = s3.read(bucket, key).decode()
    assert "Amira Khan" in body
    # Nowhere else: not at the same name in the media bucket's public part.
    media = os.environ["AWS_STORAGE_BUCKET_NAME"]
    assert export.file.name not in s3.keys(media)
    if bucket != media:
        assert not [name for name in s3.keys(media) if name.endswith(export.file.name)]


def test_an_anonymous_get_of_the_object_is_refused(export, shape):
    bucket, prefix = shape
    assert s3.anonymous_get(bucket, prefix + export.file.name) == 403


def test_the_private_storage_hands_out_no_url(export):
    with pytest.raises(ValueError, match="no public URL"):
        export.file.url  # noqa: B018


def test_the_lead_downloads_the_bytes_through_the_view(client, export, lead, shape):
    bucket, prefix = shape
    client.force_login(lead)
    response = client.get(download_url(export))
    assert response.status_code == 200
    directives = {directive.strip() for directive in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == s3.read(bucket, prefix + export.file.name)


def test_another_lead_gets_not_found(client, export, other_lead, other_cohort):
    client.force_login(other_lead)
    assert client.get(download_url(export)).status_code == 404
    client.logout()
    response = client.get(download_url(export))
    assert response.status_code == 302  # to the sign-in page, not the file
    assert b"Amira" not in response.content
