"""bench/reminders_job.py runs and prints what it promises. No timings are asserted."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REMINDERS_JOB = ROOT / "bench" / "reminders_job.py"


def test_reminders_job_bench_smoke():
    """Sixty learners: the selection agrees with the raw SQL (the script stops otherwise),
    and every promised line is printed."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [sys.executable, str(REMINDERS_JOB), "--learners", "60", "--repeat", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 5, result.stdout
    database = re.fullmatch(
        r"database: sqlite, 60 learners built in \d+ s; (\d+) reminders due", lines[0]
    )
    assert database and int(database.group(1)) > 20, lines[0]
    assert re.fullmatch(r"selection: \d+ queries for 1 batches of up to 1000", lines[1])
    assert re.fullmatch(r"selection: median [\d.]+ ms over 2 rounds", lines[2])
    assert re.fullmatch(r"raw SQL: median [\d.]+ ms over 2 rounds", lines[3])
    assert re.fullmatch(r"ratio: [\d.]+", lines[4])
