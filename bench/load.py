"""Load on the production stack: Locust's virtual learners through nginx, then a check
that every write the site acknowledged is in the database.

    .venv/bin/python bench/load.py [--users 200] [--seconds 60]

Starts `scripts/production-stack` (nginx, two gunicorn instances, one db_worker,
PostgreSQL, Redis, S3; all on loopback and thrown away afterwards), loads the demo and
`--users` extra learners, then runs Locust headless (bench/locustfile.py) from its own
virtual environment, .venv-bench, which it creates from bench/requirements-load.txt the
first time. Each virtual learner signs in, then opens lessons, saves reflections,
completes lessons and opens My learning. At most 60 seconds and 200 learners.

It prints requests a second, the 50th, 95th and 99th percentiles and the errors, per kind
of request and overall, then how many acknowledged writes it checked and how many were
missing. The client runs on the same machine as the stack, so the figures describe this
machine shared by both, not the site alone. Exits non-zero if a write is missing.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_VENV = ROOT / ".venv-bench"
PASSWORD = "load-test-password"  # noqa: S105 - throwaway accounts on a throwaway stack
MAX_USERS = 200
MAX_SECONDS = 60

SETUP = """
import json, sys
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from accounts.models import Organisation, User
from modules.models import LessonPage, ModulePage

count, password = int(sys.argv[1]), sys.argv[2]
organisation = Organisation.objects.order_by("pk").first()
hashed = make_password(password)
emails = [f"load{number}@example.org" for number in range(count)]
users = User.objects.bulk_create(
    [
        User(email=email, first_name="Load", last_name=f"Learner {number}",
             organisation=organisation, password=hashed)
        for number, email in enumerate(emails)
    ]
)
EmailAddress.objects.bulk_create(
    [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users]
)
lessons = []
for lesson in LessonPage.objects.live().public().order_by("path"):
    module = lesson.get_parent().specific
    if not isinstance(module, ModulePage) or not module.live:
        continue
    reflection = next((b.id for b in lesson.body if b.block_type == "reflection"), None)
    if reflection:
        lessons.append({"id": lesson.pk, "url": lesson.get_url(), "reflection": reflection})
print(json.dumps({"learners": emails, "password": password, "lessons": lessons}))
"""

CHECK = """
import json, sys
from django.db.models import Q
from modules.models import JournalEntry, LessonCompletion

# Each virtual learner posts one thing at a time, so per block the log reads: attempt,
# reflection (its acknowledgement), attempt, ... The saved text must be the last
# acknowledged one, or one attempted after it whose answer never arrived (the run ended).
events = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
last_text = {}
allowed = {}
completions = set()
for event in events:
    if event[0] == "completion":
        completions.add((event[1], event[2]))
        continue
    kind, email, lesson, block, text = event
    key = (email, lesson, block)
    if kind == "reflection":
        last_text[key] = text
        allowed[key] = {text}
    elif key in allowed:
        allowed[key].add(text)
saved = {
    (email, lesson, block): text
    for email, lesson, block, text in JournalEntry.objects.filter(
        learner__email__startswith="load"
    ).values_list("learner__email", "lesson_id", "block_id", "text")
}
done = set(
    LessonCompletion.objects.filter(learner__email__startswith="load").values_list(
        "learner__email", "lesson_id"
    )
)
missing = [key for key in last_text if saved.get(key) not in allowed[key]]
missing += [key for key in completions if key not in done]
print(json.dumps({"reflections": len(last_text), "completions": len(completions),
                  "missing": [list(key) for key in missing]}))
"""


def stack_manage(*args: str) -> str:
    env_file = Path(os.environ["STACK_ENV_FILE"]).read_text().splitlines()
    env = dict(line.split("=", 1) for line in env_file if line)
    result = subprocess.run(  # noqa: S603 - our own manage.py, fixed arguments
        [os.environ["STACK_PYTHON"], "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ["STACK_DIR"], **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stderr[-4000:]}")
    return result.stdout


def locust() -> Path:
    """Locust from .venv-bench, created the first time."""
    program = BENCH_VENV / "bin" / "locust"
    if not program.exists():
        print("load: installing Locust into .venv-bench (once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(BENCH_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603 - pip with our pinned requirements
            [
                str(BENCH_VENV / "bin" / "pip"),
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(ROOT / "bench" / "requirements-load.txt"),
            ],
            check=True,
        )
    return program


def run(users: int, seconds: int) -> int:
    folder = Path(os.environ["STACK_DIR"])
    stack_manage("seed_demo", "--force", "--verbosity", "0")
    plan = json.loads(stack_manage_with(SETUP, str(users), PASSWORD).strip().splitlines()[-1])
    if not plan["lessons"]:
        sys.exit("load: no live lesson with a reflection to load")
    plan_file, acks_file = folder / "load-plan.json", folder / "load-acks.jsonl"
    plan_file.write_text(json.dumps(plan))
    acks_file.write_text("")

    print(
        f"load: {users} learners for {seconds} s against {os.environ['STACK_URL']} "
        f"({len(plan['lessons'])} lessons)",
        flush=True,
    )
    log = (folder / "logs" / "locust.log").open("w")
    locust_run = subprocess.run(  # noqa: S603 - Locust with fixed arguments
        [
            str(locust()),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 10)),
            "--run-time",
            f"{seconds}s",
            "--host",
            os.environ["STACK_URL"],
            "--csv",
            str(folder / "load"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
        ],
        env={**os.environ, "LOAD_PLAN": str(plan_file), "LOAD_ACKS": str(acks_file)},
        stdout=log,
        stderr=subprocess.STDOUT,
        check=False,
    )
    if locust_run.returncode != 0:
        sys.exit(f"load: Locust failed:\n{(folder / 'logs' / 'locust.log').read_text()[-4000:]}")
    report(folder / "load_stats.csv")
    check = json.loads(stack_manage_with(CHECK, str(acks_file)).strip().splitlines()[-1])
    print(
        f"\nacknowledged writes checked in PostgreSQL: {check['reflections']} reflections "
        f"(last text of each), {check['completions']} lesson completions; "
        f"missing: {len(check['missing'])}"
    )
    for key in check["missing"][:20]:
        print("  missing:", key)
    return 1 if check["missing"] else 0


def stack_manage_with(code: str, *arguments: str) -> str:
    """Run `code` in `manage.py shell` against the stack, with sys.argv[1:] = arguments."""
    prelude = f"import sys; sys.argv = ['load'] + {list(arguments)!r}\n"
    return stack_manage("shell", "--no-imports", "-c", prelude + code)


def report(stats_file: Path) -> None:
    rows = list(csv.DictReader(stats_file.open()))
    print(
        f"\n{'request':<20} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>7}"
    )
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        print(
            f"{name:<20} {row['Request Count']:>7} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>7}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=MAX_USERS)
    parser.add_argument("--seconds", type=int, default=MAX_SECONDS)
    options = parser.parse_args()
    users = max(1, min(options.users, MAX_USERS))
    seconds = max(5, min(options.seconds, MAX_SECONDS))
    if "STACK_URL" not in os.environ:
        # Run ourselves again inside a throwaway production stack.
        command = [
            str(ROOT / "scripts" / "production-stack"),
            sys.executable,
            __file__,
            "--users",
            str(users),
            "--seconds",
            str(seconds),
        ]
        return subprocess.run(command, check=False).returncode  # noqa: S603
    return run(users, seconds)


if __name__ == "__main__":
    sys.exit(main())
