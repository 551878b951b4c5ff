"""The benchmarks in bench/ run and print what they promise. No timings are asserted."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSON_PAGE = ROOT / "bench" / "lesson_page.py"


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
    assert re.fullmatch(r"ratio: \d+\.\dx", lines[4]), lines[4]
