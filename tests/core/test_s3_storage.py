"""The storages on a real S3 API (moto's server on loopback, started by scripts/with-s3):
public media in the media bucket, private files private and without a URL (issue 11,
item 3). Without the S3 variables these skip, unless EXPECT_S3=1 (`make test`)."""

import os

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from storages.backends.s3 import S3Storage

from core.s3 import PrivateS3Storage
from core.storage import private_storage
from tests import s3


@pytest.fixture(autouse=True)
def _s3():
    s3.require_s3()


@pytest.fixture
def media_bucket():
    return os.environ["AWS_STORAGE_BUCKET_NAME"]


@pytest.fixture
def private_bucket():
    return os.environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"]


def test_the_storages_are_the_two_buckets(media_bucket, private_bucket):
    default = storages["default"]
    private = private_storage()
    assert type(default) is S3Storage
    assert default.bucket_name == media_bucket
    assert isinstance(private, PrivateS3Storage)
    assert private.bucket_name == private_bucket
    assert private.default_acl == "private"
    assert private.endpoint_url == os.environ["AWS_S3_ENDPOINT_URL"]


@pytest.mark.django_db
def test_a_wagtail_image_lands_in_the_media_bucket(media_bucket, private_bucket):
    image = wagtail_factories.ImageFactory(title="Team day")
    name = image.file.name
    assert name.startswith("original_images/")
    assert name in s3.keys(media_bucket)
    assert name not in s3.keys(private_bucket)
    # Linked straight from the bucket, unsigned, so cached pages keep working.
    assert image.file.url == f"{os.environ['AWS_S3_ENDPOINT_URL']}/{media_bucket}/{name}"
    rendition = image.get_rendition("fill-40x40")
    assert rendition.file.name in s3.keys(media_bucket)


def test_a_private_file_is_refused_to_anonymous_requests_and_has_no_url(private_bucket):
    private = private_storage()
    name = private.save("probe/note.txt", ContentFile(b"nobody else"))
    try:
        assert name in s3.keys(private_bucket)
        assert s3.read(private_bucket, name) == b"nobody else"
        assert s3.anonymous_get(private_bucket, name) == 403
        grants = s3.client().get_object_acl(Bucket=private_bucket, Key=name)["Grants"]
        assert {grant["Grantee"].get("URI") for grant in grants} == {None}  # owner only
        with pytest.raises(ValueError, match="no public URL"):
            private.url(name)
    finally:
        private.delete(name)
    assert name not in s3.keys(private_bucket)


def test_options_cannot_make_the_private_storage_public(private_bucket):
    storage = PrivateS3Storage(
        bucket_name=private_bucket,
        default_acl="public-read",
        querystring_auth=False,
        custom_domain="cdn.example.org",
    )
    assert storage.default_acl == "private"
    assert storage.querystring_auth is True
    assert storage.custom_domain is None


@pytest.mark.django_db
def test_a_wagtail_document_streams_through_wagtail_not_the_bucket(client, media_bucket):
    document = wagtail_factories.DocumentFactory(
        title="Ground rules", file=ContentFile(b"Be kind.", name="ground-rules.txt")
    )
    assert document.file.name in s3.keys(media_bucket)
    response = client.get(document.url)
    # Served by Wagtail's view (so collection privacy applies), never a redirect to S3.
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"Be kind."
