"""The S3 server the S3 tests talk to: the one `scripts/with-s3` starts on loopback.

Without its variables those tests skip, except where `EXPECT_S3=1` says they must run
(`make test` sets it for its S3 step): there a missing server is a failure, not a skip.
"""

import os
import urllib.error
import urllib.request

import boto3
import pytest

VARIABLES = ("AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME", "AWS_PRIVATE_STORAGE_BUCKET_NAME")


def require_s3() -> None:
    """Skip (or, with EXPECT_S3=1, fail) unless the S3 variables are set."""
    missing = [name for name in VARIABLES if not os.environ.get(name)]
    if not missing:
        return
    message = f"{', '.join(missing)} not set (run the tests through scripts/with-s3)"
    if os.environ.get("EXPECT_S3") == "1":
        pytest.fail(message)
    pytest.skip(message)


def client():
    return boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"])


def keys(bucket: str) -> list[str]:
    """Every object's key in `bucket`."""
    pages = client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [item["Key"] for page in pages for item in page.get("Contents", [])]


def read(bucket: str, key: str) -> bytes:
    return client().get_object(Bucket=bucket, Key=key)["Body"].read()


def anonymous_get(bucket: str, key: str) -> int:
    """The status of a plain GET of the object's URL, with no credentials at all."""
    url = f"{os.environ['AWS_S3_ENDPOINT_URL']}/{bucket}/{key}"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def private_storage_on_s3(request, settings, monkeypatch, field) -> tuple[str, str]:
    """Point the private-storage `field` at S3 as a process started with the S3 variables
    would: with AWS_PRIVATE_STORAGE_BUCKET_NAME when `request.param` is "private bucket",
    without it (a prefix of the media bucket) when it is "private prefix". Returns
    (bucket, prefix) where private files must land."""
    from core.s3 import PrivateS3Storage
    from lms.settings.storages import PRIVATE_PREFIX, storages_from_env

    require_s3()
    environ = dict(os.environ)
    if request.param == "private prefix":
        del environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"]
        where = (environ["AWS_STORAGE_BUCKET_NAME"], f"{PRIVATE_PREFIX}/")
    else:
        where = (environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"], "")
    settings.STORAGES = storages_from_env(environ, private_root=settings.PRIVATE_ROOT)
    # The field resolved its storage (a callable) when the models loaded: resolve it
    # again under these settings, as a freshly started process would.
    monkeypatch.setattr(field, "storage", field._storage_callable())
    assert isinstance(field.storage, PrivateS3Storage)
    return where
