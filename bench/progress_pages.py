"""My learning and a module page with progress, among many learners, against a bare page.

    .venv/bin/python bench/progress_pages.py [--learners N] [--repeat N] [--warmup N]

Builds a throwaway SQLite database in a temporary folder (the test settings, whatever
DATABASE_URL says; see `lesson_page.py`, whose helpers this script imports), publishes
3 programmes x 4 modules x 4 lessons, and gives `--learners` learners realistic
progress: about 30% have not started, 50% are part-way through 1-3 modules and 20% have
completed 1-2 modules. Enrolments and lesson completions are written with `bulk_create`,
their summaries (lessons total and completed, completion date, last lesson and visit)
consistent with what `modules.services` would have recorded.

Then, in this one process and signed in as one learner with four enrolments, it requests
through Django's test client, interleaved:

1. My learning (`/learn/`);
2. the learner's part-way module page, with its progress;
3. the bare page of `lesson_page.py`: one of that module's lessons routed by Wagtail as
   usual, rendered with the base `Page.get_context` and a minimal template that only
   loops over the body with `{% include_block %}`.

It prints the median of each, the queries each request makes, the ratios to the bare
page and the size of the data. Only the ratios are worth comparing between machines;
nothing here asserts a time.
"""

import argparse
import datetime
import random
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import lesson_page as shared  # noqa: E402 (bench/ is not a package)

PROGRAMMES = {
    "Systems leadership": [
        "Seeing the system",
        "Working across boundaries",
        "Shared purpose",
        "Leading change together",
    ],
    "Compassionate leadership": [
        "Attending and listening",
        "Understanding pressures",
        "Empathy in practice",
        "Helping teams thrive",
    ],
    "Improving together": [
        "Measuring what matters",
        "Small tests of change",
        "Learning from people who use services",
        "Spreading what works",
    ],
}
LESSONS_PER_MODULE = 4
CERTIFICATES = 5  # issued through the service: the learner's own and a few others


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--learners", type=int, default=2000, help="learners in the database (default 2000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=50, help="timed requests of each page (default 50)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed requests of each page first (default 5)"
    )
    args = parser.parse_args(argv)
    if args.learners < 1 or args.repeat < 1 or args.warmup < 0:
        parser.error("--learners and --repeat must be at least 1 and --warmup at least 0")
    return args


# Data -----------------------------------------------------------------------------------


def build_catalogue() -> list[tuple[object, list[object]]]:
    """Every programme's modules, each with its lessons, published; returns (module, lessons)."""
    from home.services import site_ensure_home
    from modules.models import LessonPage, ModulePage, ProgrammePage

    home = site_ensure_home(title="Lead and learn together")
    catalogue = []
    number = 0
    for programme_number, (programme_title, module_titles) in enumerate(PROGRAMMES.items()):
        programme = shared.publish(
            home,
            ProgrammePage(
                title=programme_title,
                slug=f"programme-{programme_number + 1}",
                summary="Leading together.",
            ),
        )
        for module_title in module_titles:
            number += 1
            module = shared.publish(
                programme,
                ModulePage(
                    title=module_title,
                    slug=f"module-{number}",
                    summary="Map who is involved.",
                    learning_outcomes=[("outcome", "Draw a stakeholder map")],
                    estimated_minutes=15 * LESSONS_PER_MODULE,
                ),
            )
            lessons = [
                shared.publish(
                    module,
                    LessonPage(
                        title=f"{module_title}: lesson {lesson_number}",
                        slug=f"lesson-{lesson_number}",
                        estimated_minutes=15,
                        body=shared.lesson_body(),
                    ),
                )
                for lesson_number in range(1, LESSONS_PER_MODULE + 1)
            ]
            catalogue.append((module, lessons))
    return catalogue


def create_learners(count: int):
    """`count` learners with verified email addresses; the first is the one signed in."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from accounts.models import Organisation, User

    organisation = Organisation.objects.create(
        name="Riverside Health and Care Partnership",
        type=Organisation.Type.NHS_TRUST,
        status=Organisation.Status.APPROVED,
    )
    password = make_password("not-a-real-password", salt="benchsalt")  # hashed once
    users = [
        User(
            email="priya.shah@example.org",
            first_name="Priya",
            last_name="Shah",
            organisation=organisation,
            job_role="Ward manager",
            password=password,
        ),
        *(
            User(
                email=f"learner{number:05d}@example.org",
                first_name="Learner",
                last_name=f"{number:05d}",
                organisation=organisation,
                password=password,
            )
            for number in range(1, count)
        ),
    ]
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.order_by("pk"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, primary=True, verified=True) for user in users],
        batch_size=500,
    )
    return users


def progress(learner, module, lessons, done: int, *, started_at):
    """An enrolment with `done` lessons completed, and those completions, consistent with
    what `lesson_visit` and `lesson_complete` would have recorded."""
    from modules.models import Enrolment, LessonCompletion

    completions = [
        LessonCompletion(
            learner=learner,
            lesson=lesson,
            module=module,
            lesson_title=lesson.title,
            completed_at=started_at + datetime.timedelta(days=index, minutes=20),
        )
        for index, lesson in enumerate(lessons[:done])
    ]
    complete = done == len(lessons)
    if complete:
        last_lesson, visited = lessons[-1], completions[-1].completed_at
    else:
        # Visiting the next lesson is what left it part-way.
        last_lesson = lessons[done]
        visited = started_at + datetime.timedelta(days=done, minutes=5)
    enrolment = Enrolment(
        learner=learner,
        module=module,
        module_title=module.title,
        started_at=started_at,
        completed_at=completions[-1].completed_at if complete else None,
        last_lesson=last_lesson,
        last_visited_at=visited,
        lessons_total=len(lessons),
        lessons_completed=done,
        seconds_on_page=done * 600,
    )
    return enrolment, completions


def create_progress(learners, catalogue, *, seed: int = 2026):
    """The signed-in learner's four enrolments, then everyone else's at random.

    Returns the signed-in learner's part-way module and its lessons.
    """
    from django.utils import timezone

    from modules import services
    from modules.models import Enrolment, LessonCompletion

    rng = random.Random(seed)
    now = timezone.now()
    enrolments, completions = [], []

    def add(learner, entry, done, *, days_ago):
        module, lessons = entry
        enrolment, done_lessons = progress(
            learner, module, lessons, done, started_at=now - datetime.timedelta(days=days_ago)
        )
        enrolments.append(enrolment)
        completions.extend(done_lessons)

    # The signed-in learner: one module completed, two part-way, one just opened,
    # across all three programmes.
    learner = learners[0]
    add(learner, catalogue[0], LESSONS_PER_MODULE, days_ago=60)
    add(learner, catalogue[1], 2, days_ago=20)
    add(learner, catalogue[4], 1, days_ago=10)
    add(learner, catalogue[8], 0, days_ago=3)

    for other in learners[1:]:
        roll = rng.random()
        if roll < 0.3:
            continue  # not started
        entries = rng.sample(catalogue, 3)
        if roll < 0.8:
            part_way, finished = rng.randint(1, 3), 0
        else:
            part_way, finished = rng.randint(0, 1), rng.randint(1, 2)
        for entry in entries[:finished]:
            add(other, entry, LESSONS_PER_MODULE, days_ago=rng.randint(30, 365))
        for entry in entries[finished : finished + part_way]:
            add(other, entry, rng.randint(1, LESSONS_PER_MODULE - 1), days_ago=rng.randint(5, 200))

    Enrolment.objects.bulk_create(enrolments, batch_size=500)
    LessonCompletion.objects.bulk_create(completions, batch_size=500)

    # A few certificates, the learner's own first; not one for every completed module.
    for enrolment in Enrolment.objects.filter(completed_at__isnull=False).order_by("pk")[
        :CERTIFICATES
    ]:
        services.certificate_issue(enrolment=enrolment)
    return catalogue[1]


def data_sizes() -> dict[str, int]:
    from accounts.models import User
    from modules.models import Certificate, Enrolment, LessonCompletion

    return {
        "learners": User.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "completed": Enrolment.objects.filter(completed_at__isnull=False).count(),
        "completions": LessonCompletion.objects.count(),
        "certificates": Certificate.objects.count(),
    }


# Measuring ------------------------------------------------------------------------------


def run(args: argparse.Namespace, folder: Path) -> None:
    from django.conf import settings
    from django.test import Client, override_settings
    from django.urls import reverse

    catalogue = build_catalogue()
    learners = create_learners(args.learners)
    module, lessons = create_progress(learners, catalogue)
    learner = learners[0]
    lesson = lessons[2]  # not yet completed by the learner; the bare page shows its body

    my_learning_url = reverse("modules:my_learning")
    module_url = module.get_url()
    bare_url = shared.BARE_PREFIX + lesson.get_url().lstrip("/")
    client = Client()
    client.force_login(learner)

    stand_ins = folder / "templates"
    missing = shared.missing_block_templates(lesson, stand_ins)
    templates = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], stand_ins]}]

    sizes = data_sizes()
    print(
        f"catalogue: {len(PROGRAMMES)} programmes, {len(catalogue)} modules, "
        f"{len(catalogue) * LESSONS_PER_MODULE} lessons"
    )
    print(
        f"data: {sizes['learners']:,} learners, {sizes['enrolments']:,} enrolments "
        f"({sizes['completed']:,} completed), {sizes['completions']:,} lesson completions, "
        f"{sizes['certificates']} certificates"
    )
    print(
        "signed-in learner: 4 enrolments (1 completed, 3 in progress); "
        f"module page: 2 of {LESSONS_PER_MODULE} lessons complete"
    )
    for name in missing:
        print(
            f"note: {name} (a block's Meta.template) does not exist; the bare page uses "
            "the lesson page's template for that block instead"
        )
    print(f"requests: {args.warmup} warm-up, then {args.repeat} timed, of each page, interleaved")

    done = f"2 of {LESSONS_PER_MODULE} lessons complete"
    pages = [
        ("my learning", my_learning_url, done),
        ("module page", module_url, f"{done} (50%)"),
        ("bare page", bare_url, "When did a partner from another organisation surprise you?"),
    ]
    with override_settings(ROOT_URLCONF=shared.bench_urlconf(), TEMPLATES=templates):
        for _round in range(args.warmup):
            for _name, url, expected in pages:
                shared.fetch(client, url, expected)
        times: dict[str, list[float]] = {name: [] for name, _url, _expected in pages}
        for round_number in range(args.repeat):
            # Rotate which goes first, so no page always follows the same one.
            shift = round_number % len(pages)
            for name, url, expected in pages[shift:] + pages[:shift]:
                times[name].append(shared.fetch(client, url, expected))
        queries = {name: shared.count_queries(client, url) for name, url, _expected in pages}

    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    labels = {
        "my learning": "my learning",
        "module page": "module page (with progress)",
        "bare page": "bare page, same lesson body",
    }
    for name, label in labels.items():
        print(f"{label}: median {medians[name]:.1f} ms, {queries[name]} queries")
    print(f"ratio my learning / bare: {medians['my learning'] / medians['bare page']:.1f}x")
    print(f"ratio module page / bare: {medians['module page'] / medians['bare page']:.1f}x")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-progress-pages-") as name:
        folder = Path(name)
        shared.django_setup(folder)
        run(args, folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
