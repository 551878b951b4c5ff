"""bench/assessment_submit.py runs and prints what it promises. No timings are asserted."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSESSMENT_SUBMIT = ROOT / "bench" / "assessment_submit.py"


def test_assessment_submit_bench_smoke():
    """Two timed rounds on a throwaway database: every promised line, and a submission
    costs the same number of queries for 40 questions as for 5."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [sys.executable, str(ASSESSMENT_SUBMIT), "--repeat", "2", "--warmup", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 6, result.stdout
    assert lines[0] == (
        "instrument: 40 questions in 8 dimensions of 5 (8 reverse-keyed), 5-point scale, "
        "mean, 3 bands each"
    )
    assert lines[1] == "submissions: 1 warm-up, then 2 timed, of each kind, interleaved"
    forty = re.fullmatch(
        r"response_submit, fresh draft, 40 answers: median \d+\.\d ms, (\d+) queries", lines[2]
    )
    assert forty, lines[2]
    five = re.fullmatch(
        r"response_submit, fresh draft, 5 answers \(1 dimension\): (\d+) queries", lines[3]
    )
    assert five, lines[3]
    assert int(forty.group(1)) == int(five.group(1)) >= 1
    baseline = re.fullmatch(
        r"baseline, 40 Answer rows in one bulk_create: median \d+\.\d ms, (\d+) queries",
        lines[4],
    )
    assert baseline, lines[4]
    assert 1 <= int(baseline.group(1)) < int(forty.group(1))
    assert re.fullmatch(r"ratio: \d+\.\dx", lines[5]), lines[5]
