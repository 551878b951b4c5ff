"""The `clock` process (`manage.py scheduler`), driven by a fake clock."""

import pytest
from django.core.management import call_command

from core.management.commands import scheduler
from core.management.commands.scheduler import DAY, HOUR, JOBS, Job, job_run, schedule_run
from tests.task_queue import database_queue  # noqa: F401 (a fixture)


class FakeClock:
    """Time that moves only when the scheduler sleeps (or a job takes time)."""

    def __init__(self, *, stop_at: float):
        self.now = 0.0
        self.stop_at = stop_at
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def until(self) -> bool:
        return self.now > self.stop_at


def _run(clock, *, jobs=JOBS, duration=0.0):
    ran: list[tuple[float, str]] = []

    def run(*, job):
        ran.append((clock.now, str(job)))
        clock.now += duration
        return True

    schedule_run(jobs=jobs, clock=clock, sleep=clock.sleep, run=run, until=clock.until)
    return ran


def test_each_job_runs_now_and_then_at_its_interval():
    clock = FakeClock(stop_at=DAY + 1)
    ran = _run(clock)

    by_job: dict[str, list[float]] = {}
    for at, job in ran:
        by_job.setdefault(job, []).append(at)
    assert by_job["publish_scheduled"] == [i * 300.0 for i in range(24 * 12 + 1)]
    assert by_job["cohort_exports_expire"] == [i * float(HOUR) for i in range(25)]
    assert by_job["data_exports_expire"] == [i * float(HOUR) for i in range(25)]
    assert by_job["prune_db_task_results --min-age-days 14 --failed-min-age-days 30"] == [
        0.0,
        float(DAY),
    ]
    # It sleeps until the next job is due, never busy-waits.
    assert set(clock.sleeps) == {300.0}


def test_a_slow_job_does_not_drift_the_schedule_nor_run_twice_to_catch_up():
    clock = FakeClock(stop_at=1000)
    ran = _run(clock, jobs=(Job("every_100", 100),), duration=250)
    # Due every 100 s but each run takes 250 s: the runs it missed are skipped, not made
    # up back to back (that would be 0, 250, 250, 500, 500, 500, ...).
    assert [at for at, _ in ran] == [0.0, 250.0, 500.0, 750.0, 1000.0]


def test_a_failing_job_is_logged_and_the_others_still_run(caplog):
    ok = job_run(job=Job("no_such_command_here", 60))
    assert ok is False
    assert "Scheduled job failed: no_such_command_here" in caplog.text


@pytest.mark.django_db
@pytest.mark.usefixtures("database_queue")
def test_the_jobs_are_real_commands_and_once_runs_each(monkeypatch):
    ran: list[str] = []
    real_call_command = scheduler.call_command

    def record(name, *args):
        ran.append(" ".join((name, *args)))
        real_call_command(name, *args)

    monkeypatch.setattr(scheduler, "call_command", record)
    call_command("scheduler", "--once")
    assert ran == [
        "publish_scheduled",
        "cohort_exports_expire",
        "data_exports_expire",
        "accounts_retention",
        "cohort_invitations_expire",
        "reminders_send",
        "lead_digest_send",
        "prune_db_task_results --min-age-days 14 --failed-min-age-days 30",
    ]


@pytest.mark.django_db
def test_once_exits_non_zero_when_a_job_fails(monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", (Job("no_such_command_here", 60),))
    with pytest.raises(SystemExit) as exit_info:
        call_command("scheduler", "--once")
    assert exit_info.value.code == 1
