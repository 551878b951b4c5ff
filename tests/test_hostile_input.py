"""No URL the project registers answers hostile input with a server error.

The walk reads the URL resolver, so every route is covered, Wagtail's and allauth's
included, the day it is added. Each route is opened as a role that may use it (anonymous
for public pages, a learner for learner pages, a site admin, and for the cohort screens a
programme lead, in the admin), with a real id where one is cheap to build. Its form field
names come from the page's own HTML. Every route then gets GET and POST requests carrying
a NUL byte (in the path, the query and the body), 100 KB of text, bytes that are not
UTF-8, dates in the years 9999 and 0, a 20-digit and a negative id, an empty body, a JSON
body and duplicated fields: each field gets each value once, in a few combined requests.

Each request runs in a savepoint that is rolled back, so no request changes what the
next one sees (a delete view deletes nothing for good), and on PostgreSQL a failed
statement cannot poison the requests after it. Failures are collected and reported
together: route, role, method, payload and the exception.
"""

import datetime
import json
import re
import traceback
import warnings
from html.parser import HTMLParser
from urllib.parse import quote, quote_from_bytes

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone
from wagtail.models import Collection, Locale, Site, Task, Workflow

from accounts.models import DataExport
from assessments import services as assessment_services
from assessments.models import Instrument
from modules.services import enrolment_start
from tests.assessments.factories import AGREEMENT, build_instrument, dimension
from tests.cohorts.factories import add_members, make_cohort, make_lead
from tests.factories import OrganisationFactory, UserFactory
from tests.modules.conftest import block_of, build_module
from tests.worlds import module_world

NUL = "\x00"
BIG = "x" * 100_000
NOT_UTF8 = b"\xff\xfe\xc3\x28"
TWENTY_DIGITS = "9" * 20
DEFAULT_FIELDS = ["q", "id", "pk", "name", "date", "page", "next"]
# Bounds the fields filled in one request, so that a page with hundreds of fields (a
# group's permissions) does not send tens of megabytes in one post.
MAX_QUERY_FIELDS = 20
MAX_FORM_FIELDS = 60


def date_part(name: str, year: str, month: str, day: str) -> str:
    """A date as the field takes it: one part of the NHS.UK three-box date, or ISO."""
    name = name.lower()
    if name.endswith("day"):
        return day
    if name.endswith("month"):
        return month
    if name.endswith("year"):
        return year
    return f"{year}-{month}-{day}"


# Each field gets each of these once: request i gives field j value (i + j) mod n.
ROTATION = [
    ("100 KB of text", lambda name: BIG),
    ("year 9999", lambda name: date_part(name, "9999", "12", "31")),
    ("year 0", lambda name: date_part(name, "0000", "01", "01")),
    ("20-digit id", lambda name: TWENTY_DIGITS),
    ("negative id", lambda name: "-1"),
]


# The one server error the walk allows: Wagtail's deliberate error page, which exists so
# that a superuser can check that error reporting works. It is reported as a warning; any
# other error, here or elsewhere, fails the test.
KNOWN = {
    ("admin/failwhale/", "Exception"): (
        "Wagtail's deliberate error page for checking error reporting (superusers only)"
    ),
}


# The walk ---------------------------------------------------------------------------


def walk(patterns=None, segments=()):
    """Every URL pattern as (name, the patterns from the root to it)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        here = (*segments, pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, here)
        else:
            yield pattern.name, here


def describe(segments) -> str:
    return "".join(
        segment._route if isinstance(segment, RoutePattern) else f"re:{segment._regex}"
        for segment in segments
    )


ROUTES = sorted({describe(segments): (name, segments) for name, segments in walk()}.items())


class World:
    """The people and objects whose ids fill the routes."""

    def __init__(self):
        self.programme, self.module, self.lessons = build_module(_home())
        self.lesson = self.lessons[0]
        self.organisation = OrganisationFactory(name="Riverside NHS Trust")
        self.learner = UserFactory(organisation=self.organisation)
        self.admin = UserFactory(is_superuser=True, is_staff=True)
        self.lead = make_lead()
        self.cohort = make_cohort(lead=self.lead, modules=[self.module])
        add_members(self.cohort, [self.learner])
        enrolment_start(learner=self.learner, module=self.module)
        self.team_instrument = build_instrument(
            slug="team-safety",
            title="Team safety",
            kind=Instrument.Kind.TEAM,
            scale=AGREEMENT,
            dimensions=[dimension("Safety", bands=[(1, 5, "Any")])],
            sections=[("Your team", [("It is safe to take a risk here.", "Safety")])],
        )
        self.team = assessment_services.team_create(
            learner=self.learner, instrument=self.team_instrument, name="Ward 7"
        )
        self.response = assessment_services.response_start(
            learner=self.learner, instrument=self.team_instrument, team=self.team
        )
        # Past its expiry, so that its download answers with the "gone" page.
        self.data_export = DataExport.objects.create(
            user=self.learner,
            status=DataExport.Status.READY,
            expires_at=timezone.now() - datetime.timedelta(days=1),
        )
        self.answer_blocks = [
            block_of(self.lesson, kind).id
            for kind in ("reflection", "action_commitment", "checklist", "knowledge_check")
            if any(block.block_type == kind for block in self.lesson.body)
        ]

    def users(self) -> dict:
        return {"anonymous": None, "learner": self.learner, "admin": self.admin, "lead": self.lead}

    def pk_for(self, route: str):
        """The id a `pk` in this route names: the object the route is about."""
        by_prefix = [
            ("admin/cohorts/", self.cohort.pk),
            ("admin/organisations/", self.organisation.pk),
            ("admin/users/", self.learner.pk),
            ("admin/data-requests/", self.learner.pk),
            ("admin/snippets/assessments/instrument/", self.team_instrument.pk),
            ("admin/pages/", self.lesson.pk),
            ("admin/api/main/pages/", self.lesson.pk),
            ("admin/groups/", _first_pk("auth.Group")),
            ("admin/sites/", Site.objects.values_list("pk", flat=True).first()),
            ("admin/locales/", Locale.objects.values_list("pk", flat=True).first()),
            ("admin/collections/", Collection.objects.values_list("pk", flat=True).last()),
            ("admin/workflows/tasks/", Task.objects.values_list("pk", flat=True).first()),
            ("admin/workflows/", Workflow.objects.values_list("pk", flat=True).first()),
            ("assessments/teams/", self.team.pk),
            ("assessments/responses/", self.response.pk),
            ("assessments/results/", self.response.pk),
            ("accounts/data/", self.data_export.pk),
        ]
        for prefix, pk in by_prefix:
            if route.startswith(prefix) and pk is not None:
                return pk
        return 1

    def value_for(self, route: str, name: str) -> str:
        if name in {"pk", "object_id"}:
            return str(self.pk_for(route))
        if name in {"page_id", "parent_page_id", "page_to_move_id", "page_pk", "page"}:
            return str(self.lesson.pk)
        if name == "destination_id":
            return str(self.module.pk)
        if name == "lesson_id":
            return str(self.lesson.pk)
        if name == "module_id":
            return str(self.module.pk)
        if name == "block_id":
            return self.answer_blocks[0]
        if name == "code":
            if route.startswith("cohorts/"):
                return self.cohort.join_code
            if route.startswith("assessments/"):
                return self.team.join_code
            return "ABCD2345"
        if name == "slug":
            return self.team_instrument.slug
        if name == "fmt":
            return "txt"
        if name in {"app_label", "app_name", "content_type_app_name"}:
            return "cohorts"
        if name in {"model_name", "content_type_model_name"}:
            return "cohort"
        if name in {"revision_id_a"}:
            return "earliest"
        if name in {"revision_id_b"}:
            return "latest"
        if name in {"section", "revision_id", "session_id"}:
            return "1"
        return "1"


def _home():
    from home.services import site_ensure_home

    return site_ensure_home(title="Lead and learn together", introduction="Modules for everyone.")


def _first_pk(label: str):
    from django.apps import apps

    return apps.get_model(label).objects.values_list("pk", flat=True).first()


SPECIAL_REGEX_PATHS = {
    "wagtail_serve": ["/", "{lesson_url}", "{module_url}"],
    "wagtaildocs_serve": ["/documents/1/notes.pdf"],
    "account_confirm_email": ["/accounts/confirm-email/abc-1:def/"],
    "account_reset_password_from_key": ["/accounts/password/reset/key/1-set-password/"],
}


def fill_regex(regex: str, value) -> str:
    text = regex.lstrip("^").rstrip("$")
    text = re.sub(r"\(\?P<(\w+)>[^()]*\)", lambda match: value(match.group(1)), text)
    text = re.sub(r"\([^()]*\)", "1", text)
    return text.replace("\\.", ".").replace(".*", "x").replace("\\", "")


def urls_for(world: World, key: str, name: str, segments) -> list[str]:
    if name == "lesson_answer":
        return [
            f"/learn/lessons/{world.lesson.pk}/answer/{block}/" for block in world.answer_blocks
        ]
    if name in SPECIAL_REGEX_PATHS:
        return [
            path.format(lesson_url=world.lesson.url, module_url=world.module.url)
            for path in SPECIAL_REGEX_PATHS[name]
        ]
    parts = []
    for segment in segments:
        if isinstance(segment, RoutePattern):
            parts.append(
                re.sub(
                    r"<(?:\w+:)?(\w+)>",
                    lambda match: world.value_for(key, match.group(1)),
                    segment._route,
                )
            )
        else:
            parts.append(fill_regex(segment._regex, lambda group: world.value_for(key, group)))
    return ["/" + "".join(parts)]


def roles_for(route: str) -> list[str]:
    if route.startswith("admin/cohorts/"):
        return ["admin", "lead"]
    if route.startswith("admin/"):
        return ["admin"]
    if route.startswith(("learn/", "assessments/", "cohorts/")):
        return ["learner"]
    if route.startswith("accounts/"):
        return ["anonymous", "learner"]
    return ["anonymous", "learner"]


# The requests -----------------------------------------------------------------------


class FieldNames(HTMLParser):
    def __init__(self):
        super().__init__()
        self.names: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "select", "textarea"}:
            name = dict(attrs).get("name")
            if name and name != "csrfmiddlewaretoken" and name not in self.names:
                self.names.append(name)


def field_names(response) -> list[str]:
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    parser = FieldNames()
    parser.feed(response.content.decode(errors="replace"))
    return parser.names


def urlencoded(pairs) -> bytes:
    return "&".join(
        f"{quote(name)}={quote_from_bytes(value if isinstance(value, bytes) else value.encode())}"
        for name, value in pairs
    ).encode()


def multipart(pairs) -> tuple[bytes, str]:
    boundary = b"hostile-input-boundary"
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary, name.encode(), value if isinstance(value, bytes) else value.encode())
        for name, value in pairs
    )
    return body + b"--%s--\r\n" % boundary, f"multipart/form-data; boundary={boundary.decode()}"


def rotation(fields):
    for index, (label, _make) in enumerate(ROTATION):
        yield (
            f"rotation starting with {label}",
            [
                (name, ROTATION[(index + position) % len(ROTATION)][1](name))
                for position, name in enumerate(fields)
            ],
        )


def requests_for(url: str, fields: list[str]):
    """(description, method, url, body, content type) for every hostile request."""
    query_fields = fields[:MAX_QUERY_FIELDS]
    fields = fields[:MAX_FORM_FIELDS]
    sep = "&" if "?" in url else "?"
    yield "GET with NUL in the path", "GET", url.rstrip("/") + "%00/", b"", None
    yield (
        "GET with NUL in the query",
        "GET",
        url + sep + urlencoded((name, NUL) for name in query_fields).decode(),
        b"",
        None,
    )
    yield (
        "GET with a query that is not UTF-8",
        "GET",
        url + sep + urlencoded((name, NOT_UTF8) for name in query_fields).decode(),
        b"",
        None,
    )
    for label, pairs in rotation(query_fields):
        yield f"GET {label}", "GET", url + sep + urlencoded(pairs).decode(), b"", None
    duplicated = [(name, value) for name in query_fields for value in ("1", "x")]
    yield "GET duplicated fields", "GET", url + sep + urlencoded(duplicated).decode(), b"", None

    form = "application/x-www-form-urlencoded"
    yield "POST empty body", "POST", url, b"", form
    yield (
        "POST JSON body",
        "POST",
        url,
        json.dumps({name: [NUL, BIG, TWENTY_DIGITS, -1, "9999-12-31"] for name in fields}).encode(),
        "application/json",
    )
    yield "POST NUL in every field", "POST", url, urlencoded((n, NUL) for n in fields), form
    yield (
        "POST not UTF-8 in every field (urlencoded)",
        "POST",
        url,
        urlencoded((name, NOT_UTF8) for name in fields),
        form,
    )
    yield (
        "POST not UTF-8 in every field (raw bytes, urlencoded)",
        "POST",
        url,
        b"&".join(quote(name).encode() + b"=" + NOT_UTF8 for name in fields),
        form,
    )
    body, content_type = multipart((name, NOT_UTF8 + b"\x00") for name in fields)
    yield "POST not UTF-8 and NUL in every field (multipart)", "POST", url, body, content_type
    body, content_type = multipart((name, NOT_UTF8) for name in fields)
    yield "POST not UTF-8 in every field (multipart)", "POST", url, body, content_type
    for label, pairs in rotation(fields):
        yield f"POST {label}", "POST", url, urlencoded(pairs), form
    duplicated = [(name, value) for name in fields for value in ("1", "x")]
    yield "POST duplicated fields", "POST", url, urlencoded(duplicated), form


def send(client: Client, method: str, url: str, body: bytes, content_type):
    """One request in a savepoint that is always rolled back."""
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    session_key = session.value if session else None
    with transaction.atomic():
        extra = {"content_type": content_type} if content_type else {}
        response = client.generic(method, url, data=body, **extra)
        transaction.set_rollback(True)
    # A request that signed out or cycled the session cannot sign the next one out.
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return response


def failure(route, role, description, url, response) -> tuple[tuple[str, str], str]:
    error = ""
    kind = ""
    if response.exc_info:
        kind = response.exc_info[0].__name__
        error = "".join(traceback.format_exception_only(*response.exc_info[:2])).strip()[:300]
        frames = traceback.extract_tb(response.exc_info[2])
        ours = [
            frame
            for frame in frames
            if frame.filename.startswith(str(settings.BASE_DIR))
            and "site-packages" not in frame.filename
            and not frame.filename.endswith(("core/unreadable.py", "core/fields.py"))
        ]
        if ours:
            error += f" (last project frame: {ours[-1].filename}:{ours[-1].lineno})"
        else:
            error += f" (raised at {frames[-1].filename}:{frames[-1].lineno})"
    return (
        (route, kind),
        f"{route} as {role}: {description} -> {response.status_code} {error} [{url[:120]}]",
    )


PLAIN_POST = ("POST empty body", "POST", b"", "application/x-www-form-urlencoded")


def probe(
    world: World, route: str, name: str, segments, visited: set, *, hostile: bool = True
) -> list[str]:
    """Request the route as each role that may use it: a GET, then every hostile request
    for the fields its page has, or with `hostile` off only an empty POST."""
    failures = []
    for role in roles_for(route):
        user = world.users()[role]
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        for url in urls_for(world, route, name, segments):
            cache.clear()  # sign-in rate limits would hide what comes after them
            visited.add(route)
            response = send(client, "GET", url, b"", None)
            if response.status_code >= 500:
                failures.append(failure(route, role, "GET", url, response))
            if hostile:
                requests = requests_for(url, field_names(response) or DEFAULT_FIELDS)
            else:
                description, method, body, content_type = PLAIN_POST
                requests = [(description, method, url, body, content_type)]
            refuses_post = False
            for description, method, target, body, content_type in requests:
                if method == "POST" and refuses_post:
                    continue
                response = send(client, method, target, body, content_type)
                if response.status_code >= 500:
                    failures.append(failure(route, role, description, target, response))
                # A view that refuses POST (405) does so by the method, before it reads a
                # body; the middleware that does read bodies meets every hostile one on
                # the routes that take POST. About 1,700 of the walk's requests.
                if (method, target, body) == ("POST", url, b"") and response.status_code == 405:
                    refuses_post = True
    return failures


# The walk is some ten thousand requests; it runs as a few shards of routes (every SHARDS-th
# route, so that the heavy admin routes spread evenly), which pytest-xdist can share out.
SHARDS = 12


def shard(number: int) -> list:
    return ROUTES[number::SHARDS]


# One world for every shard a test process runs (tests/worlds.py): the walk only reads its
# objects, and each request's writes are rolled back.
walk_world = module_world(World)


@pytest.mark.django_db
@pytest.mark.parametrize("number", range(SHARDS), ids=lambda number: f"shard {number + 1}")
def test_no_route_answers_hostile_input_with_a_server_error(walk_world, number):
    world = walk_world
    visited: set[str] = set()
    failures = []
    routes = shard(number)
    for route, (name, segments) in routes:
        failures += probe(world, route, name, segments, visited)

    assert visited == {route for route, _ in routes}
    known = [text for key, text in failures if key in KNOWN]
    if known:
        warnings.warn(f"{len(known)} known server errors:\n" + "\n".join(known), stacklevel=1)
    unknown = [text for key, text in failures if key not in KNOWN]
    assert not unknown, f"{len(unknown)} server errors:\n" + "\n".join(unknown)


@pytest.mark.parametrize(
    ("prefix", "at_least"),
    [("admin/", 150), ("accounts/", 20), ("learn/", 9), ("assessments/", 12), ("cohorts/", 2)],
)
def test_the_walk_reaches_every_part_of_the_site(prefix, at_least):
    """New URLs join the walk by themselves; this fails if the walk stops finding them."""
    assert sum(route.startswith(prefix) for route, _ in ROUTES) >= at_least


def test_the_shards_cover_every_route_once():
    shards = [shard(number) for number in range(SHARDS)]

    assert sorted(route for routes in shards for route, _ in routes) == [r for r, _ in ROUTES]
    assert all(shards), "a shard with no routes: SHARDS is larger than the walk"


def test_the_walk_sends_the_plain_requests_first():
    """tests/test_routes.py (a plain GET and an empty POST to every route, for every role)
    runs on SQLite only, because on PostgreSQL the walk sends both: `probe` starts with the
    plain GET, and the hostile requests include the empty POST, whatever the fields."""
    description, method, body, content_type = PLAIN_POST
    for fields in ([], ["q"], DEFAULT_FIELDS):
        sent = [
            (label, verb, data, kind)
            for label, verb, target, data, kind in requests_for("/learn/", fields)
            if target == "/learn/"
        ]
        assert (description, method, body, content_type) in sent


def test_the_walk_fills_every_converter():
    class Anything(World):
        def __init__(self):
            self.lesson = self.module = type("Page", (), {"url": "/learn/x/", "pk": 1})()
            self.answer_blocks = ["b"]

        def value_for(self, route, name):
            return "1"

    for route, (name, segments) in ROUTES:
        for url in urls_for(Anything(), route, name, segments):
            assert "<" not in url and "(?P" not in url, (route, url)


@pytest.mark.parametrize("post_status", [405, 200])
def test_a_route_that_refuses_post_gets_one_post(monkeypatch, post_status):
    """After a 405 to the empty POST, the walk sends that URL no more POSTs; any other
    answer, and it sends every hostile POST."""
    sent = []

    class Answer:
        streaming = False
        exc_info = None
        content = b'<form><input name="title"></form>'

        def __init__(self, status_code):
            self.status_code = status_code

        def get(self, header, default=None):
            return "text/html" if header == "Content-Type" else default

    def fake_send(client, method, url, body, content_type):
        sent.append((method, url))
        return Answer(post_status if method == "POST" else 200)

    class Nobody(World):
        """Every role as nobody signed in: the requests are not sent."""

        def __init__(self):
            pass

        def users(self):
            return dict.fromkeys(["anonymous", "learner", "admin", "lead"])

    monkeypatch.setattr("tests.test_hostile_input.send", fake_send)
    route, (name, segments) = next(item for item in ROUTES if item[0] == "cohorts/join/")

    assert probe(Nobody(), route, name, segments, set()) == []

    posts = [url for method, url in sent if method == "POST"]
    gets = [url for method, url in sent if method == "GET"]
    every_post = [r for r in requests_for("/cohorts/join/", ["title"]) if r[1] == "POST"]
    assert len(posts) == (1 if post_status == 405 else len(every_post))
    assert len(gets) == 1 + sum(r[1] == "GET" for r in requests_for("/cohorts/join/", ["title"]))
