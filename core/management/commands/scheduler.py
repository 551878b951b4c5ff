"""The `clock` process: run the site's scheduled jobs at their intervals, for ever.

    python manage.py scheduler          # run each job now, then at its interval
    python manage.py scheduler --once   # run each job once and exit (for cron)

Each job is a management command run in this process through `call_command`, exactly as
cron would run it. A job that fails is logged and tried again at its next time; it never
stops the others. Run one scheduler per site (a second one would only repeat the same
idempotent jobs). docs/deploy.md lists the cron and systemd equivalents.
"""

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


@dataclass(frozen=True)
class Job:
    command: str
    interval_seconds: int
    args: tuple[str, ...] = ()

    def __str__(self) -> str:
        return " ".join((self.command, *self.args))


JOBS: tuple[Job, ...] = (
    Job("publish_scheduled", 5 * MINUTE),
    Job("cohort_exports_expire", HOUR),
    Job("data_exports_expire", HOUR),
    Job("accounts_retention", DAY),
    Job("cohort_invitations_expire", DAY),
    Job("reminders_send", DAY),
    Job("lead_digest_send", DAY),  # sends once per ISO week; daily runs catch up
    Job("prune_db_task_results", DAY, ("--min-age-days", "14", "--failed-min-age-days", "30")),
)


def job_run(*, job: Job) -> bool:
    """Run one job; log and swallow its failure. True if it succeeded."""
    started = time.monotonic()
    try:
        call_command(job.command, *job.args)
    except Exception:
        logger.exception("Scheduled job failed: %s", job)
        return False
    logger.info("Scheduled job done in %.1f s: %s", time.monotonic() - started, job)
    return True


def schedule_run(
    *,
    jobs: Sequence[Job] = JOBS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    run: Callable[..., bool] = job_run,
    until: Callable[[], bool] = lambda: False,
) -> None:
    """Run every job now, then each again once its interval has passed, until `until()`."""
    due = dict.fromkeys(jobs, clock())
    while not until():
        now = clock()
        for job in jobs:
            if due[job] <= now:
                run(job=job)
                # The next run counts from the time this one was due, so a slow job does not
                # drift the schedule; a job late by a whole interval runs once, not twice.
                due[job] += job.interval_seconds
                if due[job] <= now:
                    due[job] = now + job.interval_seconds
        sleep(max(0.0, min(due.values()) - clock()))


class Command(BaseCommand):
    help = "Run the scheduled jobs (publishing, expiry, retention, task pruning)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run each job once, then exit.")

    def handle(self, *args, once: bool = False, **options):
        if once:
            failed = [job for job in JOBS if not job_run(job=job)]
            if failed:
                raise SystemExit(1)
            return
        for job in JOBS:
            logger.info("Scheduled every %d s: %s", job.interval_seconds, job)
        schedule_run()
