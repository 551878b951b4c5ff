"""The test suite: fast hashing, captured email, no external services."""

import os

from .base import *  # noqa: F403
from .storages import storages_from_env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STAFF_MFA_REQUIRED = False
# pytest-xdist runs the suite in several processes at once, and `make test` runs the
# SQLite and PostgreSQL suites side by side: each process gets its own folders.
_WORKER = "{}-{}".format(
    DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    os.environ.get("PYTEST_XDIST_WORKER", "main"),
)
MEDIA_ROOT = BASE_DIR / ".test-media" / _WORKER
PRIVATE_ROOT = BASE_DIR / ".test-private" / _WORKER
# The local disk, unless the S3 variables are set (scripts/with-s3 sets them).
STORAGES = storages_from_env(os.environ, private_root=PRIVATE_ROOT)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than SQLite's shared in-memory database: only a file honours the
    # lock timeout, which the tests of concurrent completions rely on.
    # One file per test process, so that two runs at once never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same database, emptied between tests that commit with DELETE, not TRUNCATE.
    DATABASES["default"]["ENGINE"] = "tests.postgresql_flush"

# A database with every migration applied, for each test process to copy rather than
# run the migrations itself: on PostgreSQL a database that `scripts/with-postgres
# --migrated` prepares, on SQLite a file that `make test-sqlite` prepares.
_TEMPLATE = os.environ.get("TEST_DATABASE_TEMPLATE")
if _TEMPLATE:
    DATABASES["default"].setdefault("TEST", {})["TEMPLATE"] = _TEMPLATE
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["ENGINE"] = "tests.sqlite_template"
