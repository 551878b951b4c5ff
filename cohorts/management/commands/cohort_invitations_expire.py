"""Delete cohort invitations that expired without being accepted.

Production runs this daily (the scheduler, or cron): an invitation holds an email
address, and once expired it has no use (`COHORT_INVITATION_DAYS`).
"""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from cohorts.services import invitations_expired_delete


class Command(BaseCommand):
    help = "Delete cohort invitations that expired without being accepted."

    def handle(self, *args, **options):
        deleted = invitations_expired_delete()
        self.stdout.write(
            ngettext(
                "Deleted %(count)d expired invitation.",
                "Deleted %(count)d expired invitations.",
                deleted,
            )
            % {"count": deleted}
        )
