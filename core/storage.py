"""Private file storage: where files holding personal data live.

Files here are never published by a web server. They leave only through a view that has
checked who is asking (see `core.downloads`). The storage is the `private` entry of the
`STORAGES` setting, so moving it (to an S3 bucket, say) is a change of configuration.
"""

import datetime
import secrets
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.deconstruct import deconstructible

PRIVATE_STORAGE_ALIAS = "private"


def private_storage():
    """The private storage (a callable, so that models and migrations name no backend)."""
    return storages[PRIVATE_STORAGE_ALIAS]


class PrivateFileSystemStorage(FileSystemStorage):
    """The local disk, outside MEDIA_ROOT, with files only their owner can read.

    It has no URL: a private file is reached only through a permission-checked view.
    """

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


@deconstructible
class RandomName:
    """`upload_to` that keeps only the extension of the given name: `<folder>/<random>.<ext>`.

    Nobody can guess a private file's name from what it holds.
    """

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        return f"{self.folder}/{secrets.token_urlsafe(24)}{suffix}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and other.folder == self.folder


def files_delete(storage: Storage, names: Iterable[str]) -> int:
    """Delete each named file of `storage`; returns how many names it was given. A name
    that is already gone is not an error (the Storage API says so)."""
    deleted = 0
    for name in names:
        storage.delete(name)
        deleted += 1
    return deleted


def folder_files(storage: Storage, folder: str) -> list[str]:
    """The names of the files directly in `folder` (none if the folder does not exist)."""
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files]


def orphans_delete(
    *, storage: Storage, folder: str, named: Iterable[str], older_than: datetime.datetime
) -> int:
    """Delete the files in `folder` that no record names (`named`) and that were last
    written at or before `older_than`; returns how many went.

    A background build saves its file before it records the name, so a younger unnamed
    file may be one in progress: the age keeps it. Older ones were left by a build that
    was cut short, or by a record deleted without its file (a cascade).
    """
    keep = set(named)
    return files_delete(
        storage,
        (
            name
            for name in folder_files(storage, folder)
            if name not in keep and storage.get_modified_time(name) <= older_than
        ),
    )
