"""bench/cohort_dashboard.py runs and prints what it promises. No timings are asserted."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COHORT_DASHBOARD = ROOT / "bench" / "cohort_dashboard.py"

NUMBER = r"(\d[\d,]*)"
MIB = r"(\d+\.\d)"


def whole(text: str) -> int:
    return int(text.replace(",", ""))


def test_cohort_dashboard_bench_smoke():
    """Forty learners, two timed rounds: every promised line, the raw SQL agrees with the
    dashboard, the dashboard costs the same queries for 40 learners as for 10, and the
    export has a line per learner with every module's cell."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [
            sys.executable,
            str(COHORT_DASHBOARD),
            "--learners",
            "40",
            "--repeat",
            "2",
            "--warmup",
            "1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("note: ")]
    assert len(lines) == 14, result.stdout

    cohort = re.fullmatch(
        rf"cohort: 40 learners across 8 organisations, 12 modules, {NUMBER} progress rows "
        rf"\({NUMBER} completed, {NUMBER} part-way, {NUMBER} opened in the last 10 days\)",
        lines[0],
    )
    assert cohort, lines[0]
    rows, completed, part_way, recent = map(whole, cohort.groups())
    assert rows == 40 * 12 == completed + part_way + recent
    assert min(completed, part_way, recent) >= 1

    database = re.fullmatch(
        rf"database: SQLite [\d.]+, built in \d+ s; {NUMBER} learners answered the "
        r"self-assessment",
        lines[1],
    )
    assert database, lines[1]
    answered = whole(database.group(1))
    assert 3 <= answered < 40
    lines = [lines[0], *lines[2:]]

    big = re.fullmatch(
        rf"figures, 40 learners: 40 members, 40 started, {NUMBER} completed every module, "
        rf"0 not started after 14 days, in [1-8] organisations; {NUMBER} completions in 12 "
        rf"weeks; {NUMBER} self-assessment responses",
        lines[1],
    )
    assert big, lines[1]
    assert 1 <= whole(big.group(1)) < 40
    assert whole(big.group(2)) >= 1
    assert whole(big.group(3)) == answered  # each member's latest response counts once
    # Hand-picked: five started, one finished, three joined a month ago and never started;
    # the test account left out of reports is not counted. All ten answered.
    small = re.fullmatch(
        r"figures, 10 learners: 10 members, 5 started, 1 completed every module, "
        rf"3 not started after 14 days, in 3 organisations; {NUMBER} completions in 12 "
        r"weeks; 10 self-assessment responses",
        lines[2],
    )
    assert small, lines[2]
    assert lines[3] == (
        "raw SQL: the same figures as the dashboard's (headline, organisations, modules, "
        "weeks, self-assessments), for both cohorts"
    )
    assert lines[4] == (
        "requests: 1 warm-up, then 2 timed, of the dashboard and of the raw SQL, interleaved"
    )

    queries = re.fullmatch(
        r"dashboard queries: (\d+) for 40 learners, (\d+) for 10 learners", lines[5]
    )
    assert queries, lines[5]
    assert int(queries.group(1)) == int(queries.group(2)) >= 1
    page = re.fullmatch(
        r"dashboard page \(signed-in lead\): median \d+\.\d ms, (\d+) queries", lines[6]
    )
    assert page, lines[6]
    assert page.group(1) == queries.group(1)
    assert re.fullmatch(
        r"raw SQL, every figure on the page \(5 statements\): median \d+\.\d ms", lines[7]
    ), lines[7]
    assert re.fullmatch(r"ratio dashboard / raw SQL: \d+\.\dx", lines[8]), lines[8]

    grid = re.fullmatch(
        r"learner grid, first page: median \d+\.\d ms, (\d+) queries for 40 learners and for 10",
        lines[9],
    )
    assert grid, lines[9]
    assert int(grid.group(1)) >= 1
    lines = [*lines[:9], *lines[10:]]

    export = re.fullmatch(
        r"CSV export, streamed: 41 lines \(a heading and 40 learners, 480 module cells\), "
        rf"{MIB} MiB in \d+\.\d s, (\d+) queries",
        lines[9],
    )
    assert export, lines[9]
    assert int(export.group(2)) >= 1  # the same for any cohort: tests/cohorts/test_exports.py
    rss = re.fullmatch(
        rf"peak RSS \(ru_maxrss\): {MIB} MiB before the stream, {MIB} MiB during it "
        rf"\(\+{MIB}; first half {MIB}, second half {MIB}\)",
        lines[10],
    )
    assert rss, lines[10]
    before, during = float(rss.group(1)), float(rss.group(2))
    assert 0 < before <= during
    assert re.fullmatch(
        rf"Python allocations \(tracemalloc peak\): streamed {MIB} MiB "
        rf"\(first half {MIB}, second half {MIB}\); kept as a list of lines {MIB} MiB",
        lines[11],
    ), lines[11]
