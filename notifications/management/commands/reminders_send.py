"""Record and send the day's reminders (run daily by the scheduler; safe to run again)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from notifications.services import reminders_run


def a_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--today must be a date like 2026-12-07, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Send the reminders due today (not started, gone quiet, commitments due, teams "
        "waiting, meetings tomorrow) and, on Mondays, the weekly summaries. Running it "
        "again the same day sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; write nothing."
        )
        parser.add_argument(
            "--today", type=str, help="The day to act for, YYYY-MM-DD (Europe/London)."
        )

    def handle(self, *args, dry_run=False, today=None, **options):
        day = a_date(today) if today else None
        result = reminders_run(day, dry_run=dry_run)
        if dry_run:
            for item in result.would_send:
                held = " (held for the weekly summary)" if item.weekly_summary else ""
                self.stdout.write(
                    f"would send {item.kind} {item.object_key} {item.period} "
                    f"to person {item.person_id}{held}"
                )
            self.stdout.write(
                f"{len(result.would_send)} reminders due on {result.today}; nothing written."
            )
            return
        self.stdout.write(
            f"{result.today}: recorded {result.recorded}, queued {result.queued}, "
            f"held back {result.held_back}, weekly summaries {result.summaries}."
        )
