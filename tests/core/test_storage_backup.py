"""`manage.py storage_backup` and `storage_restore`: every media and private file, out and
back under the same names, on the local disk and (through scripts/with-s3) on S3."""

import io
import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError

from core.management.commands.storage_backup import safe_path
from lms.settings.storages import storages_from_env
from tests import s3


def _use_folders(settings, root: Path) -> None:
    settings.MEDIA_ROOT = root / "media"
    settings.STORAGES = storages_from_env({}, private_root=root / "private")


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file()
    }


def _call(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_backup_then_restore_into_empty_folders_gives_the_same_files(settings, tmp_path):
    _use_folders(settings, tmp_path / "site")
    storages["default"].save("original_images/a.png", ContentFile(b"png a"))
    storages["default"].save("documents/deep/er/b.pdf", ContentFile(b"pdf b"))
    storages["private"].save("cohort-exports/x1.csv", ContentFile(b"name,email\n"))

    backup = tmp_path / "backup"
    out = _call("storage_backup", str(backup))
    assert out.splitlines() == ["default: 2 files", "private: 1 files"]
    assert _files(backup) == {
        "default/original_images/a.png": b"png a",
        "default/documents/deep/er/b.pdf": b"pdf b",
        "private/cohort-exports/x1.csv": b"name,email\n",
    }
    # Personal data: the backup is its owner's only.
    assert os.stat(backup).st_mode & 0o077 == 0
    assert os.stat(backup / "private" / "cohort-exports" / "x1.csv").st_mode & 0o077 == 0

    _use_folders(settings, tmp_path / "new-site")
    out = _call("storage_restore", str(backup))
    assert out.splitlines() == ["default: 2 files", "private: 1 files"]
    assert _files(tmp_path / "new-site" / "media") == _files(tmp_path / "site" / "media")
    assert _files(tmp_path / "new-site" / "private") == _files(tmp_path / "site" / "private")


def test_restore_refuses_to_overwrite_unless_told_to(settings, tmp_path):
    _use_folders(settings, tmp_path / "site")
    storages["private"].save("cohort-exports/x1.csv", ContentFile(b"old"))
    _call("storage_backup", str(tmp_path / "backup"))
    storages["private"].delete("cohort-exports/x1.csv")
    storages["private"].save("cohort-exports/x1.csv", ContentFile(b"changed since"))

    with pytest.raises(CommandError, match="private: cohort-exports/x1.csv exists"):
        _call("storage_restore", str(tmp_path / "backup"))

    _call("storage_restore", "--replace", str(tmp_path / "backup"))
    assert storages["private"].open("cohort-exports/x1.csv").read() == b"old"


def test_backup_refuses_an_existing_backup_and_restore_a_folder_that_is_not_one(settings, tmp_path):
    _use_folders(settings, tmp_path / "site")
    _call("storage_backup", str(tmp_path / "backup"))
    with pytest.raises(FileExistsError):
        _call("storage_backup", str(tmp_path / "backup"))
    (tmp_path / "other").mkdir()
    with pytest.raises(CommandError, match="no default, private folder: not a backup"):
        _call("storage_restore", str(tmp_path / "other"))


def test_a_stored_name_cannot_write_outside_the_backup(tmp_path):
    # An S3 key may hold "..": it must not escape the backup folder.
    assert safe_path(tmp_path, "a/b.txt") == (tmp_path / "a" / "b.txt").resolve()
    with pytest.raises(CommandError, match="leaves"):
        safe_path(tmp_path, "../../etc/passwd")


def test_on_one_bucket_the_private_prefix_is_copied_once_as_private(settings, tmp_path):
    s3.require_s3()
    settings.STORAGES = storages_from_env(
        {**os.environ, "AWS_PRIVATE_STORAGE_BUCKET_NAME": ""}, private_root=tmp_path
    )
    media_bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    private_name = storages["private"].save("backup-test/one-bucket.csv", ContentFile(b"x"))
    assert f"private/{private_name}" in s3.keys(media_bucket)

    backup = tmp_path / "backup"
    _call("storage_backup", str(backup))
    assert (backup / "private" / private_name).read_bytes() == b"x"
    assert not (backup / "default" / "private").exists()
    storages["private"].delete(private_name)


def test_on_s3_a_restored_private_file_comes_back_private(tmp_path):
    s3.require_s3()
    private_bucket = os.environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"]
    media_bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
    private_name = storages["private"].save("backup-test/export.csv", ContentFile(b"a,b\n"))
    media_name = storages["default"].save("original_images/backup.png", ContentFile(b"png"))

    backup = tmp_path / "backup"
    _call("storage_backup", str(backup))
    assert (backup / "private" / private_name).read_bytes() == b"a,b\n"
    assert (backup / "default" / media_name).read_bytes() == b"png"

    storages["private"].delete(private_name)
    storages["default"].delete(media_name)
    assert private_name not in s3.keys(private_bucket)
    _call("storage_restore", "--replace", str(backup))

    assert s3.read(private_bucket, private_name) == b"a,b\n"
    assert s3.read(media_bucket, media_name) == b"png"
    assert s3.anonymous_get(private_bucket, private_name) == 403
    storages["private"].delete(private_name)
    storages["default"].delete(media_name)
