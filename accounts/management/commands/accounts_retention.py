"""Warn, then erase, accounts nobody has signed in to for ACCOUNT_RETENTION_DAYS.

    python manage.py accounts_retention            # run daily by the scheduler
    python manage.py accounts_retention --dry-run  # say what it would do

See accounts/retention.py for the rules, and docs/deploy.md ("Retention").
"""

from django.core.management.base import BaseCommand

from accounts.retention import accounts_retention_run


class Command(BaseCommand):
    help = "Warn, then erase, accounts unused for ACCOUNT_RETENTION_DAYS (staff are reported)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would happen; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = accounts_retention_run(dry_run=dry_run)
        verb = ("would warn", "would erase") if dry_run else ("warned", "erased")
        self.stdout.write(
            f"Accounts {verb[0]}: {len(result.warned)}; {verb[1]}: {len(result.erased)}; "
            f"staff accounts past retention, for a site admin: {result.staff_past_retention}."
        )
