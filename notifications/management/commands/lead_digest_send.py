"""Send programme leads who asked for it their weekly digest, once per ISO week."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.digest import lead_digest_send


class Command(BaseCommand):
    help = (
        "Email the weekly digest of their cohorts to each programme lead who asked for it "
        "and has not had it this ISO week. Safe to run daily, or twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would get a digest; send nothing."
        )
        parser.add_argument(
            "--today",
            help="Run as if it were noon (Europe/London) on this date, YYYY-MM-DD.",
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        now = timezone.now()
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError("--today takes a date such as 2026-12-07.") from None
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        outcome = lead_digest_send(now=now, dry_run=dry_run)
        for digest in outcome.due:
            cohorts = ", ".join(
                f"{c.name} (new {c.new_members}, completed {c.completions}, not started "
                f"{c.not_started}, teams waiting {c.teams_waiting}, sets missed {c.sets_missed})"
                for c in digest.cohorts
            )
            verb = "would send" if dry_run else "sent" if digest in outcome.sent else "skipped"
            self.stdout.write(f"{verb} to lead {digest.lead.pk}: {cohorts}")
        self.stdout.write(
            f"Week {outcome.week}: {len(outcome.due)} digest(s) due, {len(outcome.sent)} queued"
            + (" (dry run)" if dry_run else "")
            + "."
        )
