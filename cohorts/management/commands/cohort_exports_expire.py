"""Delete cohort exports past their expiry, with their files.

Production runs this on a schedule (hourly, from cron or a systemd timer): an export's
file holds personal data and is kept only `COHORT_EXPORT_RETENTION_DAYS` days.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from cohorts.services import cohort_exports_expire


class Command(BaseCommand):
    help = "Delete cohort exports (files and records) older than COHORT_EXPORT_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted = cohort_exports_expire()
        self.stdout.write(
            ngettext(
                "Deleted %(count)d expired export.",
                "Deleted %(count)d expired exports.",
                deleted,
            )
            % {"count": deleted}
        )
