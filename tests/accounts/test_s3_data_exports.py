"""Data downloads on S3: built into the private bucket (or the `private/` prefix of the
media bucket), never readable by an anonymous request, downloaded only through the
owner's view, and deleted from the bucket when they expire.

These talk to a real S3 API on loopback: run them through `scripts/with-s3` (`make test`
does, with EXPECT_S3=1 so that they cannot silently skip).
"""

import datetime
import io
import json
import os
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.data_exports import data_export_request, data_exports_expire
from accounts.models import DATA_EXPORT_FOLDER, DataExport
from tests import s3
from tests.factories import UserFactory

from .data_exports import FakeProvider, use_provider

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["private bucket", "private prefix"])
def shape(request, settings, monkeypatch):
    return s3.private_storage_on_s3(
        request, settings, monkeypatch, DataExport._meta.get_field("file")
    )


@pytest.fixture
def person():
    return UserFactory(email="s3.person@example.org")


@pytest.fixture
def export(person, shape, monkeypatch, django_capture_on_commit_callbacks):
    use_provider(monkeypatch, FakeProvider(note="Kept in the private bucket"))
    with django_capture_on_commit_callbacks(execute=True):
        export = data_export_request(user=person)
    export.refresh_from_db()
    assert export.status == DataExport.Status.READY
    return export


def test_the_zip_is_built_into_the_private_bucket_only(export, shape):
    bucket, prefix = shape
    key = prefix + export.file.name
    assert export.file.name.startswith(f"{DATA_EXPORT_FOLDER}/")
    assert key in s3.keys(bucket)
    archive = zipfile.ZipFile(io.BytesIO(s3.read(bucket, key)))
    data = json.loads(archive.read("data.json"))
    assert data["sections"]["fake_section"]["note"] == "Kept in the private bucket"
    media = os.environ["AWS_STORAGE_BUCKET_NAME"]
    assert export.file.name not in s3.keys(media)
    assert s3.anonymous_get(bucket, key) == 403


def test_only_the_owner_downloads_it_through_the_view(client, export, person, shape):
    bucket, prefix = shape
    url = reverse("accounts_data_download", args=[export.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(person)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content) == s3.read(bucket, prefix + export.file.name)


def test_expiry_deletes_the_object(export, shape):
    bucket, prefix = shape
    later = export.expires_at + datetime.timedelta(seconds=1)
    assert later > timezone.now()

    # Files left in the folder by earlier tests (their rows rolled back) go too, as orphans.
    in_folder = [key for key in s3.keys(bucket) if key.startswith(f"{prefix}{DATA_EXPORT_FOLDER}/")]
    assert prefix + export.file.name in in_folder

    assert data_exports_expire(now=later) == len(in_folder)

    assert prefix + export.file.name not in s3.keys(bucket)
    assert not DataExport.objects.exists()
