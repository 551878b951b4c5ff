"""Private file storage: where files holding personal data live.

Files here are never published by a web server. They leave only through a view that has
checked who is asking (see `core.downloads`). The storage is the `private` entry of the
`STORAGES` setting, so moving it (to an S3 bucket, say) is a change of configuration.
"""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage, storages
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
