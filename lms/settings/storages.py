"""Where files go, read from the environment: the `STORAGES` setting as a pure function.

Not a settings module of its own: `base.py` and `test.py` call `storages_from_env`, so
that every environment builds `STORAGES` the same way, and tests can call it with any
mapping.

- Without `AWS_STORAGE_BUCKET_NAME`: the local disk (the embedded default). Public media
  under `MEDIA_ROOT`; files holding personal data under `PRIVATE_ROOT`, outside it.
- With it: public media (Wagtail images and documents) in that bucket through
  django-storages, and files holding personal data in `AWS_PRIVATE_STORAGE_BUCKET_NAME`,
  or, if that is unset, under the `private/` prefix of the same bucket. Private objects
  are written with the `private` ACL and have no URL at all (`core.s3.PrivateS3Storage`):
  they leave only through a permission-checked view.

Credentials are never put in the settings: boto3 finds them itself, in `AWS_ACCESS_KEY_ID`
and `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`) or through the instance's role.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The prefix of the public bucket that holds private files when no private bucket is set.
PRIVATE_PREFIX = "private"
# Seconds a signed URL of a private object would live (the private storage refuses to
# issue any; this bounds anything that signs one through boto3 directly).
PRIVATE_URL_EXPIRY_SECONDS = 60
# An object read back (an export streamed to its lead, an image being resized) is held in
# memory up to this size and in a temporary file beyond it.
READ_BUFFER_BYTES = 10 * 1024 * 1024


def _s3_common(environ: Mapping[str, str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    endpoint_url = environ.get("AWS_S3_ENDPOINT_URL", "").strip()
    if endpoint_url:
        options["endpoint_url"] = endpoint_url
    region = environ.get("AWS_S3_REGION_NAME", "").strip()
    region = region or environ.get("AWS_DEFAULT_REGION", "").strip()
    if region:
        options["region_name"] = region
    addressing_style = environ.get("AWS_S3_ADDRESSING_STYLE", "").strip()
    if addressing_style:
        options["addressing_style"] = addressing_style
    options["max_memory_size"] = READ_BUFFER_BYTES
    return options


def storages_from_env(
    environ: Mapping[str, str], *, private_root: Path
) -> dict[str, dict[str, Any]]:
    """The `STORAGES` setting for this environment (see the module's docstring)."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {
            "default": {
                # MEDIA_ROOT, read when the storage is first used.
                "BACKEND": "django.core.files.storage.FileSystemStorage",
            },
            "private": {
                "BACKEND": "core.storage.PrivateFileSystemStorage",
                "OPTIONS": {
                    "location": private_root,
                    "file_permissions_mode": 0o600,
                    "directory_permissions_mode": 0o700,
                },
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }

    common = _s3_common(environ)
    private_bucket = environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME", "").strip()
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                # Images are linked straight from the bucket (readable through its bucket
                # policy, see the README); unsigned URLs stay valid in cached pages.
                "querystring_auth": False,
                # Two uploads called "logo.png" must not replace each other.
                "file_overwrite": False,
                "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip() or None,
            },
        },
        "private": {
            "BACKEND": "core.s3.PrivateS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket or bucket,
                "location": "" if private_bucket else PRIVATE_PREFIX,
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": PRIVATE_URL_EXPIRY_SECONDS,
                "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
