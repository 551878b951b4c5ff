"""Put back the files that `storage_backup` copied (scripts/restore).

    python manage.py storage_restore SRC_DIR [--replace]

Saves SRC_DIR/default/... into the media storage and SRC_DIR/private/... into the private
storage under their original names, on the local disk or S3 alike. A file that already
exists there is an error, unless --replace (then it is overwritten).
"""

from pathlib import Path

from django.core.files import File
from django.core.files.storage import storages
from django.core.management.base import BaseCommand, CommandError

from .storage_backup import BACKED_UP_STORAGES


class Command(BaseCommand):
    help = "Restore the media and private storages' files from a storage_backup folder."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite files that already exist."
        )

    def handle(self, *args, source: Path, replace: bool = False, **options):
        missing = [alias for alias in BACKED_UP_STORAGES if not (source / alias).is_dir()]
        if missing:
            raise CommandError(f"{source} has no {', '.join(missing)} folder: not a backup.")
        for alias in BACKED_UP_STORAGES:
            storage = storages[alias]
            root = source / alias
            count = 0
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                name = path.relative_to(root).as_posix()
                if storage.exists(name):
                    if not replace:
                        raise CommandError(f"{alias}: {name} exists (use --replace).")
                    storage.delete(name)
                with open(path, "rb") as handle:
                    saved = storage.save(name, File(handle, name=name))
                if saved != name:
                    raise CommandError(f"{alias}: {name} was saved as {saved}.")
                count += 1
            self.stdout.write(f"{alias}: {count} files")
