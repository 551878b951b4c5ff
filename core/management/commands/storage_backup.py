"""Copy every file of the media and private storages into a folder (scripts/backup).

    python manage.py storage_backup DEST_DIR

Writes DEST_DIR/default/... and DEST_DIR/private/..., one file per stored file under its
stored name. It reads through Django's storage API, so it works the same on the local disk
and on S3 (both buckets, or the private prefix). Static files are not copied: collectstatic
rebuilds them. The private copy holds personal data: the folder is created readable by its
owner only, so keep the backup as private as PRIVATE_ROOT.
"""

import os
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import Storage, storages
from django.core.management.base import BaseCommand, CommandError

BACKED_UP_STORAGES = ("default", "private")
CHUNK_BYTES = 1024 * 1024


def storage_files(storage: Storage, folder: str = "", *, skip: str = "") -> Iterator[str]:
    """Every file name in `storage`, depth first, sorted, except under the folder `skip`."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        path = f"{folder}/{name}" if folder else name
        if path != skip:
            yield from storage_files(storage, path, skip=skip)


def shared_prefix(media: Storage, private: Storage) -> str:
    """The media storage's folder that is the private storage, if they share one bucket.

    Without a private bucket, private files live under the `private/` prefix of the media
    bucket: the media copy must leave them to the private one.
    """
    bucket = getattr(media, "bucket_name", None)
    if bucket and bucket == getattr(private, "bucket_name", None):
        return str(getattr(private, "location", "")).strip("/")
    return ""


def safe_path(root: Path, name: str) -> Path:
    """`root/name`, refusing names that would leave `root`."""
    path = (root / name).resolve()
    if not path.is_relative_to(root.resolve()):
        raise CommandError(f"Refusing the stored name {name!r}: it leaves {root}.")
    return path


class Command(BaseCommand):
    help = "Copy the media and private storages' files into a folder."

    def add_arguments(self, parser):
        parser.add_argument("destination", type=Path)

    def handle(self, *args, destination: Path, **options):
        destination.mkdir(parents=True, exist_ok=True)
        os.chmod(destination, 0o700)
        skip = {"default": shared_prefix(storages["default"], storages["private"])}
        for alias in BACKED_UP_STORAGES:
            storage = storages[alias]
            root = destination / alias
            root.mkdir(mode=0o700, exist_ok=False)
            count = 0
            for name in storage_files(storage, skip=skip.get(alias, "")):
                path = safe_path(root, name)
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                with storage.open(name, "rb") as source, open(path, "xb") as target:
                    while chunk := source.read(CHUNK_BYTES):
                        target.write(chunk)
                path.chmod(0o600)
                count += 1
            self.stdout.write(f"{alias}: {count} files")
