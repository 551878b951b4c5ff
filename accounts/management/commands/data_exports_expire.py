"""Delete data downloads past their expiry, with their files.

The scheduler runs this hourly: a download holds everything the site knows about a person
and is kept only `DATA_EXPORT_RETENTION_DAYS` days.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from accounts.data_exports import data_exports_expire


class Command(BaseCommand):
    help = "Delete data downloads (files and records) older than DATA_EXPORT_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted = data_exports_expire()
        self.stdout.write(
            ngettext(
                "Deleted %(count)d expired data download.",
                "Deleted %(count)d expired data downloads.",
                deleted,
            )
            % {"count": deleted}
        )
