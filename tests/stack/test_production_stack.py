"""The production shape, end to end: nginx in front of two gunicorn instances, one
db_worker, PostgreSQL, Redis and an S3 API, all started by `scripts/production-stack`.

Every request goes through nginx, over plain HTTP on loopback with the headers a TLS
proxy sends, the way a real deployment's requests arrive. The site's own processes run
with lms.settings.production and exactly the Procfile's commands; the test reaches the
database only through `manage.py` with the stack's environment.

Without the stack these skip, unless EXPECT_STACK=1 (`make test`), where they fail.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import struct
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html import unescape
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "stack-smoke-password"  # noqa: S105 - the throwaway stack's demo password
LEAD_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - ditto
LEARNER = "learner1@example.org"
LEAD = "lead@example.org"


def stack_env() -> dict[str, str]:
    path = os.environ.get("STACK_ENV_FILE")
    if not path or not os.environ.get("STACK_URL"):
        message = "STACK_URL and STACK_ENV_FILE not set (run through scripts/production-stack)"
        if os.environ.get("EXPECT_STACK") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return dict(line.split("=", 1) for line in Path(path).read_text().splitlines() if line)


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py against the stack's database and storages, as its processes do."""
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [os.environ["STACK_PYTHON"], "manage.py", *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ["STACK_DIR"], **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result.stdout


def totp(secret: str, at: float) -> str:
    """RFC 6238: six digits, 30-second steps, HMAC-SHA1 (what authenticator apps use)."""
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(at) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def upstream(self) -> str:
        return self.headers.get("X-Upstream", "")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """A client that talks to nginx like a browser behind TLS would: it keeps cookies
    (including Secure ones: TLS ends before nginx here), sends Origin and Referer, and
    posts forms with their CSRF token. `source` is the client's own address on loopback,
    which nginx passes on in X-Forwarded-For."""

    def __init__(self, base_url: str, source: str = "127.0.0.1"):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.origin = f"https://{self.host}:{self.port}"
        self.source = source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form=None, headers=None) -> Reply:
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(self.source, 0)
        )
        sent = {"Host": f"{self.host}:{self.port}", "Referer": self.origin + path}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Origin"] = self.origin
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, response.headers, response.read())
        finally:
            connection.close()
        for header in reply.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return reply

    def get(self, path: str, **kwargs) -> Reply:
        return self.request("GET", path, **kwargs)

    def submit(self, page_path: str, action: str | None, fields: dict, **kwargs) -> Reply:
        """GET `page_path`, then POST `fields` to `action` (default: the same path) with the
        CSRF token of the page's form."""
        page = self.get(page_path)
        assert page.status == 200, (page_path, page.status)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {page_path}"
        return self.request(
            "POST",
            action or page_path,
            form={"csrfmiddlewaretoken": token.group(1), **fields},
            **kwargs,
        )

    def sign_in(self, email: str, password: str) -> Reply:
        reply = self.submit("/accounts/login/", None, {"login": email, "password": password})
        assert reply.status == 302, reply.text[:2000]
        return reply


@pytest.fixture(scope="module")
def stack():
    env = stack_env()
    # The demo content and accounts, with a password of our own; the lead's authenticator
    # app is set up (staff must use one in production).
    manage({**env, "DEMO_PASSWORD": PASSWORD}, "seed_demo", "--force", "--verbosity", "0")
    facts = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        f"""
import json
from django.db.models import Count
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import User
from cohorts.models import Cohort
from modules.models import LessonPage, LessonCompletion

lead = User.objects.get(email={LEAD!r})
TOTP.activate(lead, {LEAD_TOTP_SECRET!r})
learner = User.objects.get(email={LEARNER!r})
done = set(LessonCompletion.objects.filter(learner=learner).values_list("lesson_id", flat=True))
lessons = [
    [lesson.pk, lesson.get_url()]
    for lesson in LessonPage.objects.live().order_by("path")
    if lesson.pk not in done
]
cohort = (
    Cohort.objects.filter(leads=lead).annotate(size=Count("memberships")).order_by("-size").first()
)
print(json.dumps({{"lessons": lessons, "cohort": cohort.pk, "cohort_size": cohort.size}}))
""",
    )
    return env, json.loads(facts.strip().splitlines()[-1])


def test_static_files_home_page_health_and_headers(stack):
    browser = Browser(os.environ["STACK_URL"])
    home = browser.get("/")
    assert home.status == 200
    # The production policy, sent by the site through the proxy.
    policy = home.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-ID"] or ""), (
        "the site passes nginx's $request_id back"
    )
    # Static files come from collectstatic's hashed names, served by the site itself.
    stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', home.text)
    assert stylesheets and all(re.search(r"\.[0-9a-f]{12}\.css$", name) for name in stylesheets)
    sheet = browser.get(stylesheets[0])
    assert sheet.status == 200 and sheet.body
    assert "max-age=315360000" in sheet.headers["Cache-Control"]
    # The load balancer's probes.
    for path in ("/health/", "/health/live/"):
        probe = browser.get(path)
        assert (probe.status, probe.text.strip()) == (200, "ok"), probe.text
    detail = browser.get("/health/detail/")
    assert detail.status == 404 and "postgres" not in detail.text.lower()


def test_both_instances_answer_and_share_sessions_and_progress(stack):
    _env, facts = stack
    browser = Browser(os.environ["STACK_URL"])
    browser.sign_in(LEARNER, PASSWORD)
    # Find a lesson the learner can complete (the demo may lock some behind others).
    for lesson_id, url in facts["lessons"]:
        page = browser.get(url)
        if page.status == 200 and f"/learn/lessons/{lesson_id}/complete/" in page.text:
            break
    else:
        pytest.fail("the learner can complete none of the demo lessons")
    written = browser.submit(url, f"/learn/lessons/{lesson_id}/complete/", {})
    assert written.status == 302, written.text[:2000]

    # nginx alternates between the instances: read the progress on the other one.
    seen = {written.upstream}
    for _ in range(6):
        page = browser.get(url)
        assert page.status == 200
        seen.add(page.upstream)
        if page.upstream != written.upstream:
            assert "You completed this lesson on" in page.text
            break
    else:
        pytest.fail(f"every request went to {written.upstream}")
    assert len(seen) == 2


def test_a_large_export_is_built_by_the_worker_in_the_private_bucket(stack):
    env, facts = stack
    threshold = int(env["COHORT_EXPORT_BACKGROUND_THRESHOLD"])
    assert facts["cohort_size"] > threshold, "the demo cohort must need a background export"
    cohort = facts["cohort"]
    s3 = boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_S3_REGION_NAME"],
    )
    bucket = env["AWS_PRIVATE_STORAGE_BUCKET_NAME"]

    lead = Browser(os.environ["STACK_URL"])
    to_mfa = lead.sign_in(LEAD, PASSWORD)
    assert "/accounts/2fa/authenticate/" in to_mfa.location
    signed_in = lead.submit(
        "/accounts/2fa/authenticate/", None, {"code": totp(LEAD_TOTP_SECRET, time.time())}
    )
    assert signed_in.status == 302 and "2fa" not in signed_in.location, signed_in.text[:2000]

    requested = lead.get(f"/admin/cohorts/{cohort}/learners/?export=csv")
    assert requested.status == 302 and "/exports/?requested=" in requested.location
    exports_page = requested.location
    download = None
    for _ in range(120):  # the worker polls every second
        page = lead.get(exports_page)
        assert page.status == 200
        found = re.search(rf'href="(/admin/cohorts/{cohort}/exports/\d+/download/)"', page.text)
        if found:
            download = unescape(found.group(1))
            break
        time.sleep(0.5)
    assert download, "the worker did not build the export within 60 s"

    # The file is in the private bucket, and S3 refuses it to anyone without credentials.
    keys = [
        item["Key"]
        for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        if item["Key"].startswith("cohort-exports/")
    ]
    assert len(keys) == 1
    anonymous = urllib.request.Request(  # noqa: S310 - the loopback S3 server
        f"{env['AWS_S3_ENDPOINT_URL']}/{bucket}/{keys[0]}"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(anonymous, timeout=10)  # noqa: S310 - loopback S3
    assert refused.value.code == 403
    # Nor does the site publish it under any path.
    for path in (f"/media/{keys[0]}", f"/private/{keys[0]}", f"/{keys[0]}"):
        assert Browser(os.environ["STACK_URL"]).get(path).status == 404

    # Only through the permission-checked view: the lead gets it, a learner does not.
    got = lead.get(download)
    assert got.status == 200, got.status
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in got.headers["Cache-Control"]
    rows = got.text.strip().splitlines()
    assert len(rows) == facts["cohort_size"] + 1  # a header and one row per member
    learner = Browser(os.environ["STACK_URL"])
    learner.sign_in(LEARNER, PASSWORD)
    assert learner.get(download).status == 403  # the admin is for staff
    assert Browser(os.environ["STACK_URL"]).get(download).status == 302  # to sign in


def test_emails_go_through_the_worker(stack):
    browser = Browser(os.environ["STACK_URL"])
    reply = browser.submit("/accounts/password/reset/", None, {"email": "learner2@example.org"})
    assert reply.status == 302
    log = Path(os.environ["STACK_DIR"], "logs", "worker.log")
    for _ in range(60):
        if "To: learner2@example.org" in log.read_text(errors="replace"):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not send the password reset email within 30 s")


def test_sign_in_rate_limit_counts_the_real_client_address(stack):
    """allauth counts failed sign-ins per client address. Behind nginx that address comes
    from X-Forwarded-For (ALLAUTH_TRUSTED_PROXY_COUNT=1): the entry nginx adds, not one the
    client wrote, and not nginx's own address, which every client shares."""
    limited = "Too many failed login attempts"
    attacker = Browser(os.environ["STACK_URL"], source="127.0.0.2")
    for attempt in range(10):
        reply = attacker.submit(
            "/accounts/login/",
            None,
            {"login": f"nobody{attempt}@example.org", "password": "wrong"},
            # A forged address on every attempt changes nothing.
            headers={"X-Forwarded-For": f"198.51.100.{attempt}"},
        )
        assert reply.status == 200 and limited not in reply.text, attempt
    blocked = attacker.submit(
        "/accounts/login/",
        None,
        {"login": "nobody-else@example.org", "password": "wrong"},
        headers={"X-Forwarded-For": "198.51.100.200"},
    )
    assert limited in blocked.text
    # Another client, behind the same nginx, is not blocked.
    neighbour = Browser(os.environ["STACK_URL"], source="127.0.0.3")
    reply = neighbour.submit(
        "/accounts/login/", None, {"login": "someone@example.org", "password": "wrong"}
    )
    assert reply.status == 200 and limited not in reply.text
