"""`STORAGES` from the environment (lms/settings/storages.py), for every combination of
the S3 variables (issue 11, item 3)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage, InvalidStorageError, StorageHandler

from core.s3 import PrivateS3Storage
from core.storage import PrivateFileSystemStorage
from lms.settings.storages import (
    PRIVATE_URL_EXPIRY_SECONDS,
    READ_BUFFER_BYTES,
    storages_from_env,
)

PRIVATE_ROOT = Path("/srv/private")


def build(**environ):
    return storages_from_env(environ, private_root=PRIVATE_ROOT)


def test_without_a_bucket_everything_stays_on_the_local_disk():
    result = build()
    assert result["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert result["private"] == {
        "BACKEND": "core.storage.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": PRIVATE_ROOT,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
    handler = StorageHandler(result)
    assert type(handler["default"]) is FileSystemStorage
    assert isinstance(handler["private"], PrivateFileSystemStorage)


@pytest.mark.parametrize("blank", ["", "  "])
def test_a_blank_bucket_name_is_no_bucket(blank):
    assert build(AWS_STORAGE_BUCKET_NAME=blank) == build()


def test_the_settings_modules_build_storages_through_the_function():
    if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        pytest.skip("the S3 variables are set: tests/core/test_s3_storage.py covers this")
    assert settings.STORAGES == storages_from_env({}, private_root=settings.PRIVATE_ROOT)
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


def test_a_bucket_alone_keeps_private_files_under_a_prefix_of_it():
    result = build(AWS_STORAGE_BUCKET_NAME="media")
    assert result["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "max_memory_size": READ_BUFFER_BYTES,
            "bucket_name": "media",
            "querystring_auth": False,
            "file_overwrite": False,
            "custom_domain": None,
        },
    }
    assert result["private"] == {
        "BACKEND": "core.s3.PrivateS3Storage",
        "OPTIONS": {
            "max_memory_size": READ_BUFFER_BYTES,
            "bucket_name": "media",
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": PRIVATE_URL_EXPIRY_SECONDS,
            "file_overwrite": False,
        },
    }
    assert PRIVATE_URL_EXPIRY_SECONDS <= 300


def test_a_private_bucket_takes_the_private_files_at_its_root():
    result = build(AWS_STORAGE_BUCKET_NAME="media", AWS_PRIVATE_STORAGE_BUCKET_NAME="private")
    assert result["default"]["OPTIONS"]["bucket_name"] == "media"
    assert result["private"]["OPTIONS"]["bucket_name"] == "private"
    assert result["private"]["OPTIONS"]["location"] == ""


def test_a_private_bucket_without_a_media_bucket_changes_nothing():
    assert build(AWS_PRIVATE_STORAGE_BUCKET_NAME="private") == build()


def test_endpoint_region_and_domain_reach_the_right_storages():
    result = build(
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        AWS_S3_REGION_NAME="eu-west-2",
        AWS_S3_ADDRESSING_STYLE="path",
        AWS_S3_CUSTOM_DOMAIN="media.example.org",
    )
    for alias in ("default", "private"):
        options = result[alias]["OPTIONS"]
        assert options["endpoint_url"] == "https://s3.example.net"
        assert options["region_name"] == "eu-west-2"
        assert options["addressing_style"] == "path"
    assert result["default"]["OPTIONS"]["custom_domain"] == "media.example.org"
    # A custom (CDN) domain publishes; the private storage never takes one.
    assert "custom_domain" not in result["private"]["OPTIONS"]


def test_the_region_falls_back_to_aws_default_region():
    result = build(AWS_STORAGE_BUCKET_NAME="media", AWS_DEFAULT_REGION="eu-west-1")
    assert result["private"]["OPTIONS"]["region_name"] == "eu-west-1"


def test_credentials_never_enter_the_settings():
    result = build(
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_ACCESS_KEY_ID="AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY="very-secret",
    )
    assert "very-secret" not in repr(result)
    assert "AKIDEXAMPLE" not in repr(result)


def test_the_s3_settings_build_storages_without_touching_the_network():
    handler = StorageHandler(
        build(AWS_STORAGE_BUCKET_NAME="media", AWS_S3_ENDPOINT_URL="http://127.0.0.1:1")
    )
    private = handler["private"]
    assert isinstance(private, PrivateS3Storage)
    assert private.location == "private"
    with pytest.raises(ValueError, match="no public URL"):
        private.url("cohort-exports/x.csv")
    with pytest.raises(InvalidStorageError):
        handler["nonexistent"]
