"""Throughput of the lesson page under gunicorn against a bare page with the same layout.

    .venv/bin/python bench/lesson_gunicorn.py [--seconds N] [--rounds N] [--connections N]
    .venv/bin/python bench/lesson_gunicorn.py --postgres    # on scripts/with-postgres

In a throwaway folder it migrates a fresh database (a SQLite file there, or with
`--postgres` a throwaway PostgreSQL server from `scripts/with-postgres`), writes the lesson
of `lesson_page.py` (the same body, four blocks answered by its learner) and signs the
learner in. Then it starts gunicorn on 127.0.0.1 with `gunicorn.conf.py` (2 workers) and
the production settings, except that static files are not collected (their URLs are built
without the manifest) and that the bench adds one URL, and drives it with wrk
(`-t2 -c<connections>`), the learner's session cookie and `X-Forwarded-Proto: https`, as
the site's proxy would send it, alternately against:

1. the lesson page, as the signed-in learner sees it;
2. a bare page: the same lesson routed by Wagtail (with its hooks), rendered with the base
   `Page.get_context` and a template that extends the site's `base.html` (the same header,
   footer, breadcrumbs and messages) and only does `{% include_block %}` for each block.

It prints the requests per second of each, and the ratio lesson / bare. Every response
must be a 200: wrk's count of other responses, and its socket errors, are printed and
must be 0, or the script stops. gunicorn is always stopped and the folder deleted.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
UNDER_POSTGRES = "LMS_BENCH_UNDER_POSTGRES"
BARE_PREFIX = "/bench/bare/"

SETTINGS = '''"""The production settings, for bench/lesson_gunicorn.py only."""

from lms.settings.production import *  # noqa: F403
from lms.settings.production import STORAGES, TEMPLATES

ROOT_URLCONF = "bench_gunicorn_urls"
# No collectstatic for a throwaway folder: static URLs are built without the manifest.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], TEMPLATES_DIR]
'''

URLS = '''"""The site's URLs with the bare page in front, for bench/lesson_gunicorn.py only."""

import sys
from functools import partial

from django.urls import path

sys.path.insert(0, BENCH_DIR)
from lesson_page import bare_page  # noqa: E402

from lms.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns = [
    path(BARE_PREFIX + "<path:path>", partial(bare_page, template="bench/bare_layout.html")),
    *site_urlpatterns,
]
'''

BARE_LAYOUT = """{% extends "base.html" %}{% load wagtailcore_tags %}
{% block content %}<h1 class="nhsuk-heading-xl">{{ page.title }}</h1>
{% for block in page.body %}{% include_block block %}{% endfor %}{% endblock %}
"""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=int, default=5, help="seconds of load per page per round (default 5)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="rounds of each page (default 2)")
    parser.add_argument(
        "--connections", type=int, default=4, help="wrk's open connections (default 4)"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="run on a throwaway PostgreSQL server"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 30 or not 1 <= args.rounds <= 10:
        parser.error("--seconds must be from 1 to 30 and --rounds from 1 to 10")
    if not 2 <= args.connections <= 64:
        parser.error("--connections must be from 2 to 64")
    return args


def missing_tools() -> list[str]:
    missing = [] if shutil.which("wrk") else ["wrk (scripts/install-system-packages wrk)"]
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        missing.append("gunicorn (make install)")
    return missing


def free_port() -> int:
    # Below Linux's ephemeral range, as scripts/with-postgres chooses its ports.
    for port in range(24000 + os.getpid() % 4000, 32000):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("lesson_gunicorn: found no free port")


def environment(folder: Path, database_url: str) -> dict[str, str]:
    """The production environment on loopback, in `folder`."""
    return {
        "SECRET_KEY": "bench-only-" + os.urandom(16).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_ROOT": str(folder / "private"),
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "bench_gunicorn_settings",
    }


def write_bench_modules(folder: Path) -> None:
    templates = folder / "templates"
    (templates / "bench").mkdir(parents=True)
    (templates / "bench" / "bare_layout.html").write_text(BARE_LAYOUT, encoding="utf-8")
    (folder / "bench_gunicorn_settings.py").write_text(
        f"TEMPLATES_DIR = {str(templates)!r}\n{SETTINGS}", encoding="utf-8"
    )
    (folder / "bench_gunicorn_urls.py").write_text(
        f"BENCH_DIR = {str(BENCH)!r}\nBARE_PREFIX = {BARE_PREFIX.lstrip('/')!r}\n{URLS}",
        encoding="utf-8",
    )
    for name in ("static", "media", "private"):
        (folder / name).mkdir()


def prepare(folder: Path, env: dict[str, str]):
    """Migrate, write the lesson and sign its learner in; returns what the load needs."""
    os.environ.update(env)
    sys.path[:0] = [str(folder), str(ROOT), str(BENCH)]
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    import lesson_page
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    lesson, learner, answered = lesson_page.build_lesson()
    missing = lesson_page.missing_block_templates(lesson, folder / "templates")
    client = Client()
    client.force_login(learner)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    connection.close()
    return {
        "lesson_url": lesson.get_url(),
        "cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "summary": (
            f"lesson: {lesson_page.words_of_text(lesson):,} words of text, "
            f"{sum(1 for _block in lesson.body)} blocks, 5 interactive ({answered} answered)"
        ),
        "missing": missing,
        "vendor": vendor,
    }


HEADERS = {"X-Forwarded-Proto": "https"}


def fetch(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={**HEADERS, "Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 (loopback)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within 60 s:\n{log.read_text()[-3000:]}")


def wrk(url: str, cookie: str, *, seconds: int, connections: int) -> tuple[int, float, int]:
    """Requests completed, their rate, and responses that were not 2xx/3xx or failed."""
    headers = [f"Cookie: {cookie}", *(f"{name}: {value}" for name, value in HEADERS.items())]
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for header in headers:
        command += ["-H", header]
    result = subprocess.run(  # noqa: S603 (wrk, with our own arguments)
        [*command, url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    out = result.stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(bad.group(1)) if bad else 0) + (
        sum(int(n) for n in errors.groups()) if errors else 0
    )
    return requests, rate, failed


def run(args: argparse.Namespace, folder: Path) -> None:
    if UNDER_POSTGRES in os.environ:
        database_url = os.environ["DATABASE_URL"]
    else:
        database = folder / "bench.sqlite3"
        # The test suite's smoke tests name one migrated file to copy (as lesson_page.py
        # does); `migrate` then finds nothing to do.
        if template := os.environ.get("BENCH_MIGRATED_DATABASE"):
            shutil.copyfile(template, database)
        database_url = f"sqlite:///{database}"
    env = environment(folder, database_url)
    write_bench_modules(folder)
    prepared = prepare(folder, env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    lesson_url = base + prepared["lesson_url"]
    bare_url = base + BARE_PREFIX + prepared["lesson_url"].lstrip("/")
    log = folder / "gunicorn.log"
    server_env = {
        **os.environ,
        **env,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "WEB_CONCURRENCY": "2",
    }
    with log.open("w") as log_file:
        server = subprocess.Popen(  # noqa: S603 (gunicorn, run by this interpreter)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "lms.wsgi:application",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(f"{base}/health/live/", server, log)
        measure(args, prepared, lesson_url, bare_url)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def measure(args, prepared, lesson_url: str, bare_url: str) -> None:
    cookie = prepared["cookie"]
    status, html = fetch(lesson_url, cookie)
    if status != 200 or "The housing officer knew the family" not in html:
        raise SystemExit(f"the lesson page answered {status} without the learner's answer")
    status, html = fetch(bare_url, cookie)
    if status != 200 or "When did a partner from another organisation" not in html:
        raise SystemExit(f"the bare page answered {status} without the lesson's body")
    if "nhsuk-header" not in html or "nhsuk-footer" not in html:
        raise SystemExit("the bare page lacks the site's header or footer")

    print(
        f"database: {prepared['vendor']} (throwaway); gunicorn: gunicorn.conf.py, 2 workers, "
        "production settings, 127.0.0.1"
    )
    print(prepared["summary"])
    for name in prepared["missing"]:
        print(f"note: {name} does not exist; the bare page uses the lesson page's template")
    print(
        f"load: wrk -t2 -c{args.connections}, {args.rounds} round(s) of {args.seconds} s "
        "per page, interleaved, after 1 s of each to warm up"
    )
    pages = [("lesson", lesson_url), ("bare", bare_url)]
    for _name, url in pages:
        wrk(url, cookie, seconds=1, connections=args.connections)
    totals = {name: [0, 0.0, 0] for name, _url in pages}
    for round_number in range(args.rounds):
        ordered = pages if round_number % 2 == 0 else pages[::-1]
        for name, url in ordered:
            requests, rate, failed = wrk(
                url, cookie, seconds=args.seconds, connections=args.connections
            )
            totals[name][0] += requests
            totals[name][1] += rate / args.rounds
            totals[name][2] += failed
    labels = {
        "lesson": "lesson page (signed-in learner)",
        "bare": "bare page, same body and site layout",
    }
    for name, (requests, rate, failed) in totals.items():
        print(f"{labels[name]}: {rate:.1f} requests/s ({requests:,} requests, {failed} failed)")
    if any(failed for _requests, _rate, failed in totals.values()):
        raise SystemExit("some responses were not 200: the benchmark measured errors")
    print(f"ratio lesson / bare: {totals['lesson'][1] / totals['bare'][1]:.2f}x")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if missing := missing_tools():
        print(f"lesson_gunicorn: missing {', '.join(missing)}", file=sys.stderr)
        return 2
    if args.postgres and UNDER_POSTGRES not in os.environ:
        script = [sys.executable, str(Path(__file__).resolve()), *(argv or sys.argv[1:])]
        return subprocess.call(  # noqa: S603 (our own script, under our own wrapper)
            [str(ROOT / "scripts" / "with-postgres"), "env", f"{UNDER_POSTGRES}=1", *script]
        )
    with tempfile.TemporaryDirectory(prefix="bench-lesson-gunicorn-") as name:
        run(args, Path(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
