"""A lesson page for a signed-in learner against a bare Wagtail page with the same body.

    .venv/bin/python bench/lesson_page.py [--repeat N] [--warmup N]

Builds a throwaway SQLite database in a temporary folder (the test settings, whatever
DATABASE_URL says), writes one realistic lesson (about 1,500 words of text and the five
interactive blocks, four of them answered by the learner) and then, in this one process,
requests through Django's test client, alternately:

1. the lesson, as the signed-in learner sees it (routing, `serve_lesson`, forms, saved
   answers, navigation, the full site template);
2. a bare page: the same lesson routed by Wagtail as usual, rendered with the base
   `Page.get_context` and a minimal template that only loops over the body with
   `{% include_block %}`. Same client, same session, same middleware.

It prints the median of each, their ratio and the number of queries each request makes.
Only the ratio is worth comparing between machines; nothing here asserts a time.
"""

import argparse
import datetime
import functools
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import types
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BARE_TEMPLATE = """{% load wagtailcore_tags %}<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main><h1>{{ page.title }}</h1>
{% for block in page.body %}{% include_block block %}{% endfor %}
</main></body>
</html>"""

BARE_PREFIX = "/bench/bare/"

SENTENCES = [
    "Nobody owns the whole of a person's care, so nobody can fix it alone.",
    "Systems leadership starts from the relationships between organisations, "
    "not from the boxes on an organisation chart.",
    "A ward manager, a housing officer and a volunteer coordinator each see a different "
    "part of the same family's week.",
    "When a problem is wicked, every attempt to solve it changes the problem, so we learn "
    "by acting together and watching closely.",
    "Trust grows through small promises kept, not through terms of reference.",
    "Ask who is missing from the room, and whose voice would change the conversation.",
    "People who use services are experts in how the system feels from the inside.",
    "Compassionate leadership means attending, understanding, empathising and helping.",
    "Shared purpose is found in conversation; it cannot be written down in advance.",
    "Measure what matters to people, then look for the patterns behind the numbers.",
    "A partnership that meets only to report progress rarely makes any.",
    "Curiosity about another organisation's pressures is the first step to working with it.",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=100, help="timed requests of each page (default 100)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed requests of each page first (default 5)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    return args


# A migrated SQLite file to start from instead of an empty one. The test suite's smoke tests
# set it (tests/conftest.py), so that six scripts do not each run every migration; the
# script still runs `migrate`, which finds nothing to do on an up-to-date copy.
MIGRATED_DATABASE = "BENCH_MIGRATED_DATABASE"


def django_setup(folder: Path) -> None:
    """The test settings on a SQLite file in `folder`, migrated from scratch (or copied
    from an already migrated file named by `BENCH_MIGRATED_DATABASE`)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    database = folder / "bench.sqlite3"
    if template := os.environ.get(MIGRATED_DATABASE):
        shutil.copyfile(template, database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


# Data -----------------------------------------------------------------------------------


def paragraphs(words: int, *, start: int) -> str:
    """Rich text of about `words` words: paragraphs, a sub-heading, a list, a link."""
    html, count, index = [], 0, start
    while count < words:
        sentences = [SENTENCES[(index + offset) % len(SENTENCES)] for offset in range(4)]
        index += 3
        text = " ".join(sentences)
        count += len(text.split())
        html.append(f"<p>{text}</p>")
    html.insert(2, "<h3>What this looks like in practice</h3>")
    html.insert(
        4,
        "<ul><li>Meet where the work happens.</li><li>Share the data you hold.</li>"
        "<li>Agree one thing to try <b>this month</b>.</li></ul>",
    )
    html.append('<p>Read more in <a href="https://www.kingsfund.org.uk/">The King\'s Fund</a>.</p>')
    return "".join(html)


def lesson_body() -> list[tuple[str, object]]:
    return [
        ("heading", {"text": "Why relationships come first", "level": "h2"}),
        ("rich_text", paragraphs(250, start=0)),
        (
            "reflection",
            {"prompt": "When did a partner from another organisation surprise you?", "hint": ""},
        ),
        ("heading", {"text": "Seeing the whole system", "level": "h2"}),
        ("rich_text", paragraphs(250, start=1)),
        (
            "quote",
            {"quote": "Leadership is a relationship, not a position.", "attribution": "Anon."},
        ),
        (
            "checklist",
            {
                "heading": "Before the first meeting",
                "introduction": "Tick what you have done.",
                "items": [
                    "Agree why we are here",
                    "Invite people who use services",
                    "Share what each of us can offer",
                ],
            },
        ),
        ("rich_text", paragraphs(250, start=2)),
        (
            "knowledge_check",
            {
                "question": "Which of these problems is wicked?",
                "options": [
                    {"text": "Fixing a broken boiler", "is_correct": False, "feedback": "Tame."},
                    {"text": "Reducing loneliness", "is_correct": True, "feedback": "Wicked."},
                    {"text": "Ordering more gloves", "is_correct": False, "feedback": "Tame."},
                ],
            },
        ),
        ("heading", {"text": "Acting together", "level": "h2"}),
        ("rich_text", paragraphs(250, start=3)),
        ("action_commitment", {"prompt": "What will you do differently, and by when?"}),
        ("rich_text", paragraphs(250, start=4)),
        (
            "learning_cycle",
            {
                "introduction": "Try one small change with a partner.",
                "plan_prompt": "Plan: what will you try, with whom, and why?",
                "act_prompt": "Act: what did you actually do?",
                "observe_prompt": "Observe: what happened?",
                "reflect_prompt": "Reflect: what will you try next?",
            },
        ),
    ]


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_lesson():
    """Programme > module > three lessons; returns the middle lesson and its learner."""
    from allauth.account.models import EmailAddress

    from accounts.models import Organisation, User
    from home.services import site_ensure_home
    from modules.models import LessonPage, ModulePage, ProgrammePage

    home = site_ensure_home(title="Lead and learn together")
    programme = publish(
        home,
        ProgrammePage(title="Systems leadership", slug="systems", summary="Leading together."),
    )
    module = publish(
        programme,
        ModulePage(
            title="Seeing the system",
            slug="seeing-the-system",
            summary="Map who is involved.",
            learning_outcomes=[("outcome", "Draw a stakeholder map")],
            estimated_minutes=45,
        ),
    )
    lessons = [
        publish(
            module,
            LessonPage(
                title=f"Lesson {number}",
                slug=f"lesson-{number}",
                estimated_minutes=15,
                body=lesson_body(),
            ),
        )
        for number in (1, 2, 3)
    ]
    organisation = Organisation.objects.create(
        name="Riverside Health and Care Partnership",
        type=Organisation.Type.NHS_TRUST,
        status=Organisation.Status.APPROVED,
    )
    learner = User.objects.create_user(
        email="priya.shah@example.org",
        password=uuid.uuid4().hex,
        first_name="Priya",
        last_name="Shah",
        organisation=organisation,
        job_role="Ward manager",
    )
    EmailAddress.objects.create(user=learner, email=learner.email, primary=True, verified=True)
    lesson = lessons[1]
    answered = answer_blocks(learner=learner, lesson=lesson, module=module)
    return lesson, learner, answered


def answer_blocks(*, learner, lesson, module) -> int:
    """The learner's answers, through the services: all but the learning cycle."""
    from modules import services

    blocks = {block.block_type: block for block in lesson.body}
    for kind in ("reflection", "action_commitment"):
        block = blocks[kind]
        services.journal_entry_save(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=block.id,
            kind=kind,
            prompt=block.value["prompt"],
            text="The housing officer knew the family better than any of us. " * 20,
            due_on=datetime.date(2027, 3, 27) if kind == "action_commitment" else None,
        )
    checklist = blocks["checklist"]
    item_ids = [item.id for item in checklist.value["items"].bound_blocks]
    services.checklist_save(
        learner=learner,
        lesson=lesson,
        module=module,
        block_id=checklist.id,
        item_ids=item_ids,
        ticked=item_ids[:2],
    )
    check = blocks["knowledge_check"]
    options = check.value["options"].bound_blocks
    option_ids = [option.id for option in options]
    correct_ids = [option.id for option in options if option.value["is_correct"]]
    wrong_ids = [option.id for option in options if not option.value["is_correct"]]
    for selected in (wrong_ids[:1], correct_ids):
        services.knowledge_check_answer(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=check.id,
            correct_ids=correct_ids,
            option_ids=option_ids,
            selected=selected,
            attempt_key=uuid.uuid4(),
        )
    return 4


def words_of_text(lesson) -> int:
    text = " ".join(
        re.sub(r"<[^>]+>", " ", block.value.source)
        for block in lesson.body
        if block.block_type == "rich_text"
    )
    return len(text.split())


# The bare page --------------------------------------------------------------------------


@functools.cache
def bare_template():
    """Compiled once, as the cached template loader does for the lesson page's templates."""
    from django.template import engines

    return engines["django"].from_string(BARE_TEMPLATE)


def bare_page(request, path, template=None):
    """What `wagtail.views.serve` does, then the body alone in a minimal template (or in
    `template`, given by name).

    Routing and the `before_serve_page` and `on_serve_page` hooks (view restrictions)
    run as for any Wagtail page; only `page.serve` is replaced.
    """
    from django.http import Http404, HttpResponse
    from django.template.response import TemplateResponse
    from wagtail import hooks
    from wagtail.models import Page

    route = Page.route_for_request(request, path)
    if route is None:
        raise Http404
    page, args, kwargs = route

    def render(page, request, args, kwargs):
        return TemplateResponse(
            request, template or bare_template(), Page.get_context(page, request)
        )

    chain = render
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        chain = fn(chain)
    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, args, kwargs)


def bench_urlconf() -> str:
    """A URLconf with the bare page in front of the site's own URLs."""
    from django.urls import path

    from lms import urls as site_urls

    module = types.ModuleType("bench_lesson_page_urls")
    module.urlpatterns = [
        path(f"{BARE_PREFIX.strip('/')}/<path:path>", bare_page),
        *site_urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def missing_block_templates(lesson, folder: Path) -> list[str]:
    """Stand-ins for block templates that `include_block` cannot find.

    The lesson page includes `modules/blocks/<block type>.html` for interactive blocks
    itself; the bare page relies on each block's `Meta.template`. Where that names a
    template that does not exist, a stand-in that includes the lesson page's one is
    written to `folder`, and its name returned, so that both pages render the same body.
    """
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    missing = []
    for block in lesson.body:
        name = getattr(block.block.meta, "template", None)
        if not name or name in missing:
            continue
        try:
            get_template(name)
        except TemplateDoesNotExist:
            stand_in = folder / name
            stand_in.parent.mkdir(parents=True, exist_ok=True)
            stand_in.write_text(
                f'{{% include "modules/blocks/{block.block_type}.html" %}}', encoding="utf-8"
            )
            missing.append(name)
    return missing


# Measuring ------------------------------------------------------------------------------


def fetch(client, url: str, expected: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or expected not in response.content.decode():
        raise SystemExit(
            f"{url} answered {response.status_code} without {expected!r}: "
            "the benchmark would measure the wrong page."
        )
    return elapsed


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def run(args: argparse.Namespace, folder: Path) -> None:
    from django.conf import settings
    from django.test import Client, override_settings

    lesson, learner, answered = build_lesson()
    lesson_url = lesson.get_url()
    bare_url = BARE_PREFIX + lesson_url.lstrip("/")
    client = Client()
    client.force_login(learner)

    stand_ins = folder / "templates"
    missing = missing_block_templates(lesson, stand_ins)
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], stand_ins]}]

    print(
        f"lesson: {words_of_text(lesson):,} words of text, "
        f"{sum(1 for _block in lesson.body)} blocks, 5 interactive ({answered} answered)"
    )
    for name in missing:
        print(
            f"note: {name} (a block's Meta.template) does not exist; the bare page uses "
            "the lesson page's template for that block instead"
        )
    print(f"requests: {args.warmup} warm-up, then {args.repeat} timed, of each page, interleaved")

    with override_settings(ROOT_URLCONF=bench_urlconf(), TEMPLATES=templates):
        # The lesson shows the learner's saved reflection; the bare page only the prompt.
        pages = [
            (lesson_url, "The housing officer knew the family"),
            (bare_url, "When did a partner from another organisation surprise you?"),
        ]
        for _round in range(args.warmup):
            for url, expected in pages:
                fetch(client, url, expected)
        times: dict[str, list[float]] = {url: [] for url, _expected in pages}
        for round_number in range(args.repeat):
            # Alternate which goes first, so neither always follows the other.
            ordered = pages if round_number % 2 == 0 else pages[::-1]
            for url, expected in ordered:
                times[url].append(fetch(client, url, expected))
        lesson_queries = count_queries(client, lesson_url)
        bare_queries = count_queries(client, bare_url)

    lesson_ms = statistics.median(times[lesson_url]) * 1000
    bare_ms = statistics.median(times[bare_url]) * 1000
    print(f"lesson page (signed-in learner): median {lesson_ms:.1f} ms, {lesson_queries} queries")
    print(f"bare page, same body: median {bare_ms:.1f} ms, {bare_queries} queries")
    # Two decimals: the target (1.5x) is close enough that one would round across it.
    print(f"ratio: {lesson_ms / bare_ms:.2f}x")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-lesson-page-") as name:
        folder = Path(name)
        django_setup(folder)
        run(args, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
