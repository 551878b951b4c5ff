"""scripts/backup and scripts/restore: a backup restores into a fresh database, whole.

Runs on PostgreSQL only (pg_dump cannot read SQLite). In `make test`'s PostgreSQL phase
(EXPECT_DB_VENDOR=postgresql) a missing pg_dump is a failure, not a skip.
"""

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection

from cohorts import services as cohort_services
from cohorts.models import CohortExport
from lms.settings.storages import storages_from_env
from tests.cohorts.factories import make_cohort, make_lead

BASE_DIR = Path(__file__).resolve().parent.parent


def _require_postgres_tools():
    expected = os.environ.get("EXPECT_DB_VENDOR")
    if connection.vendor != "postgresql":
        assert expected != "postgresql", "expected PostgreSQL"
        pytest.skip("backups are of PostgreSQL databases (run under scripts/with-postgres)")
    missing = [p for p in ("pg_dump", "pg_restore", "psql") if not shutil.which(p)]
    if missing:
        message = f"{', '.join(missing)} not found (Debian's postgresql-client)"
        if expected == "postgresql":
            pytest.fail(message)
        pytest.skip(message)


def _url(database: str) -> str:
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{database}"


def _admin_connection():
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=True,
    )


def _row_counts(database: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_url(database)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'public' and table_type = 'BASE TABLE'"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("select count(*) from {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def _run(script: str, *args: str, database: str, media: Path, private: Path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.dev",
        DATABASE_URL=_url(database),
        MEDIA_ROOT=str(media),
        PRIVATE_ROOT=str(private),
        PYTHON=sys.executable,
    )
    return subprocess.run(  # noqa: S603 (our own script, fixed arguments)
        [str(BASE_DIR / "scripts" / script), *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def fresh_database():
    name = f"lms_restore_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as conn:
        conn.execute(f'create database "{name}"')
    yield name
    with _admin_connection() as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    settings, tmp_path, request
):
    _require_postgres_tools()
    # The test settings' own folders (the export's storage is bound when models load).
    media, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_ROOT)
    assert settings.STORAGES == storages_from_env({}, private_root=private), "not on disk"

    lead = make_lead(email="lead@example.org")
    cohort = make_cohort(lead=lead)
    export = cohort_services.cohort_export_request(
        cohort=cohort, user=lead, export_format=CohortExport.Format.CSV
    )
    export.refresh_from_db()
    assert export.status == CohortExport.Status.READY
    assert (private / export.file.name).is_file()
    logo = storages["default"].save("original_images/logo.png", ContentFile(b"\x89PNG fake"))
    request.addfinalizer(lambda: storages["default"].delete(logo))
    request.addfinalizer(lambda: export.file.delete(save=False))

    source = connection.settings_dict["NAME"]
    before = _row_counts(source)
    assert before["accounts_user"] >= 1
    assert before["cohorts_cohort"] == 1
    assert before["cohorts_cohortexport"] == 1

    backup = tmp_path / "backup"
    result = _run("backup", str(backup), database=source, media=media, private=private)
    assert result.returncode == 0, result.stderr
    assert (backup / "database.dump").stat().st_size > 0
    assert (backup.stat().st_mode & 0o077) == 0

    fresh = request.getfixturevalue("fresh_database")
    media2, private2 = tmp_path / "media2", tmp_path / "private2"
    result = _run("restore", str(backup), database=fresh, media=media2, private=private2)
    assert result.returncode == 0, result.stderr

    assert _row_counts(fresh) == before
    assert _files(media2) == _files(media)
    assert _files(private2) == _files(private)
    assert export.file.name in _files(private2)
    assert logo in _files(media2)

    # A second restore into the now full database is refused without --clean...
    again = _run("restore", str(backup), database=fresh, media=media2, private=private2)
    assert again.returncode == 1
    assert "restore into an empty one" in again.stderr
    # ...and with --clean it replaces the rows and files.
    again = _run("restore", "--clean", str(backup), database=fresh, media=media2, private=private2)
    assert again.returncode == 0, again.stderr
    assert _row_counts(fresh) == before
    assert _files(private2) == _files(private)
