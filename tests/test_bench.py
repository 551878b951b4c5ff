"""The benchmarks in bench/ run and print what they promise. No timings are asserted."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON_PAGE = ROOT / "bench" / "lesson_page.py"
PROGRESS_PAGES = ROOT / "bench" / "progress_pages.py"
LESSON_GUNICORN = ROOT / "bench" / "lesson_gunicorn.py"


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lesson_page_bench_imports_without_setting_anything_up():
    environment = dict(os.environ)

    bench = load(LESSON_PAGE)

    assert dict(os.environ) == environment
    assert bench.parse_args([]).repeat >= 10
    assert bench.parse_args(["--repeat", "2", "--warmup", "0"]).repeat == 2
    with pytest.raises(SystemExit):
        bench.parse_args(["--repeat", "0"])


def test_lesson_page_bench_smoke():
    """Two timed rounds on a throwaway database: the output has every promised line."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [sys.executable, str(LESSON_PAGE), "--repeat", "2", "--warmup", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("note: ")]
    assert len(lines) == 5, result.stdout
    lesson = re.fullmatch(
        r"lesson: ([\d,]+) words of text, \d+ blocks, 5 interactive \(4 answered\)", lines[0]
    )
    assert lesson, lines[0]
    assert 1_400 <= int(lesson.group(1).replace(",", "")) <= 1_800
    assert lines[1] == "requests: 1 warm-up, then 2 timed, of each page, interleaved"
    assert re.fullmatch(
        r"lesson page \(signed-in learner\): median \d+\.\d ms, [1-9]\d* queries", lines[2]
    ), lines[2]
    assert re.fullmatch(r"bare page, same body: median \d+\.\d ms, [1-9]\d* queries", lines[3])
    assert re.fullmatch(r"ratio: \d+\.\d\dx", lines[4]), lines[4]


def test_progress_pages_bench_imports_without_setting_anything_up():
    environment = dict(os.environ)

    bench = load(PROGRESS_PAGES)

    assert dict(os.environ) == environment
    defaults = bench.parse_args([])
    assert defaults.learners == 2000
    assert defaults.repeat >= 10
    assert bench.parse_args(["--learners", "20", "--repeat", "2"]).learners == 20
    with pytest.raises(SystemExit):
        bench.parse_args(["--learners", "0"])


def test_progress_pages_bench_smoke():
    """Twenty learners, two timed rounds: the output has every promised line."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [sys.executable, str(PROGRESS_PAGES), "--learners", "20", "--repeat", "2", "--warmup", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("note: ")]
    assert len(lines) == 9, result.stdout
    assert lines[0] == "catalogue: 3 programmes, 12 modules, 48 lessons"
    data = re.fullmatch(
        r"data: (\d+) learners, (\d+) enrolments \((\d+) completed\), "
        r"(\d+) lesson completions, (\d+) certificates",
        lines[1],
    )
    assert data, lines[1]
    learners, enrolments, completed, completions, certificates = map(int, data.groups())
    assert learners == 20
    assert 4 <= completed < enrolments <= completions
    assert 1 <= certificates <= completed
    assert lines[2] == (
        "signed-in learner: 4 enrolments (1 completed, 3 in progress); "
        "module page: 2 of 4 lessons complete"
    )
    assert lines[3] == "requests: 1 warm-up, then 2 timed, of each page, interleaved"
    queries = {}
    for line, label in zip(
        lines[4:7],
        ["my learning", "module page (with progress)", "bare page, same lesson body"],
        strict=True,
    ):
        match = re.fullmatch(rf"{re.escape(label)}: median \d+\.\d ms, (\d+) queries", line)
        assert match, line
        queries[label] = int(match.group(1))
    assert all(count >= 1 for count in queries.values()), queries
    assert re.fullmatch(r"ratio my learning / bare: \d+\.\dx", lines[7]), lines[7]
    assert re.fullmatch(r"ratio module page / bare: \d+\.\dx", lines[8]), lines[8]


def test_lesson_gunicorn_bench_imports_without_setting_anything_up():
    environment = dict(os.environ)

    bench = load(LESSON_GUNICORN)

    assert dict(os.environ) == environment
    defaults = bench.parse_args([])
    assert (defaults.seconds, defaults.rounds, defaults.connections) == (5, 2, 4)
    assert bench.parse_args(["--seconds", "1", "--rounds", "1"]).seconds == 1
    for bad in (["--seconds", "0"], ["--seconds", "31"], ["--rounds", "0"], ["--connections", "1"]):
        with pytest.raises(SystemExit):
            bench.parse_args(bad)


def gunicorn_installed() -> bool:
    return importlib.util.find_spec("gunicorn") is not None


@pytest.mark.skipif(
    shutil.which("wrk") is None or not gunicorn_installed(),
    reason="needs wrk (scripts/install-system-packages) and gunicorn (make install)",
)
def test_lesson_gunicorn_bench_smoke():
    """One second of each page under gunicorn: every promised line, and no failed request."""
    result = subprocess.run(  # noqa: S603 (our own script, run by this interpreter)
        [sys.executable, str(LESSON_GUNICORN), "--seconds", "1", "--rounds", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("note: ")]
    assert len(lines) == 6, result.stdout
    assert lines[0] == (
        "database: SQLite (throwaway); gunicorn: gunicorn.conf.py, 2 workers, "
        "production settings, 127.0.0.1"
    )
    assert re.fullmatch(
        r"lesson: [\d,]+ words of text, \d+ blocks, 5 interactive \(4 answered\)", lines[1]
    ), lines[1]
    assert lines[2] == (
        "load: wrk -t2 -c4, 1 round(s) of 1 s per page, interleaved, after 1 s of each to warm up"
    )
    for line, label in zip(
        lines[3:5],
        ["lesson page (signed-in learner)", "bare page, same body and site layout"],
        strict=True,
    ):
        match = re.fullmatch(
            rf"{re.escape(label)}: \d+\.\d requests/s \(([\d,]+) requests, 0 failed\)", line
        )
        assert match, line
        assert int(match.group(1).replace(",", "")) >= 1
    assert re.fullmatch(r"ratio lesson / bare: \d+\.\d\dx", lines[5]), lines[5]
