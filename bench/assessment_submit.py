"""Submitting a 40-question self-assessment, in queries and time, against a bare write.

    .venv/bin/python bench/assessment_submit.py [--repeat N] [--warmup N]

Builds a throwaway SQLite database in a temporary folder (the test settings, whatever
DATABASE_URL says; see `lesson_page.py`, whose setup this script imports) and publishes an
instrument of 8 dimensions x 5 questions (one reverse-keyed in each) on a five-point scale,
scored as a mean with three bands per dimension. Then, in this one process, interleaved:

1. `assessments.services.response_submit` with all 40 answers on a fresh draft (the draft
   is started, untimed, with `response_start`): the attempt locked and read with its
   instrument, the answers checked against the live revision's questionnaire (cached per
   revision) and upserted, the attempt scored and pinned, eight dimension scores written;
2. a baseline: the same 40 `Answer` rows written to a fresh draft by one `bulk_create` in
   a transaction, nothing else.

It prints the queries one submission makes (and, to show that the number does not grow
with the questions, the queries for a 5-question instrument), the median of each, and their
ratio. Only the ratio is worth comparing between machines; nothing here asserts a time.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import lesson_page as shared  # noqa: E402 (bench/ is not a package)

DIMENSIONS = [
    "Attending",
    "Understanding",
    "Empathising",
    "Helping",
    "Autonomy",
    "Belonging",
    "Contribution",
    "Wellbeing",
]
QUESTIONS_PER_DIMENSION = 5
BANDS = [(4, 5, "Strong"), (3, "3.99", "Mixed"), (1, "2.99", "A priority")]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=100, help="timed submissions of each kind (default 100)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed submissions of each kind first (default 5)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    return args


# Data -----------------------------------------------------------------------------------


def build_instruments():
    """The 40-question instrument and a 5-question one, both published."""
    from tests.assessments.factories import AGREEMENT, build_instrument, dimension

    def instrument(slug: str, title: str, names: list[str]):
        # Questions go round the dimensions, as the shipped instruments do: one section per
        # round, the last question of each dimension reverse-keyed.
        sections = [
            (
                f"Part {round_number + 1}",
                [
                    (
                        f"Question {round_number + 1} about {name.lower()}.",
                        name,
                        round_number == QUESTIONS_PER_DIMENSION - 1,
                    )
                    for name in names
                ],
            )
            for round_number in range(QUESTIONS_PER_DIMENSION)
        ]
        return build_instrument(
            slug=slug,
            title=title,
            scale=AGREEMENT,
            dimensions=[dimension(name, rule="mean", bands=BANDS) for name in names],
            sections=sections,
        )

    return (
        instrument("bench-forty", "Compassionate leadership pulse", DIMENSIONS),
        instrument("bench-five", "Short pulse", DIMENSIONS[:1]),
    )


def create_learners(count: int):
    from allauth.account.models import EmailAddress

    from accounts.models import Organisation, User

    organisation = Organisation.objects.create(
        name="Riverside Health and Care Partnership",
        type=Organisation.Type.NHS_TRUST,
        status=Organisation.Status.APPROVED,
    )
    learners = []
    for number in range(count):
        learner = User.objects.create_user(
            email=f"learner{number + 1}@example.org",
            password=uuid.uuid4().hex,
            first_name="Learner",
            last_name=str(number + 1),
            organisation=organisation,
            job_role="Ward manager",
        )
        EmailAddress.objects.create(user=learner, email=learner.email, primary=True, verified=True)
        learners.append(learner)
    return learners


# Measuring ------------------------------------------------------------------------------


def submit(learner, instrument, answers) -> float:
    """Start a draft (untimed), then time submitting every answer to it."""
    from assessments import services

    draft = services.response_start(learner=learner, instrument=instrument)
    started = time.perf_counter()
    response = services.response_submit(response=draft, answers=answers)
    elapsed = time.perf_counter() - started
    if not response.is_submitted or response.scores.count() != len(
        instrument.questionnaire().definition.dimensions
    ):
        raise SystemExit("response_submit did not score the attempt: nothing worth measuring.")
    return elapsed


def bare_write(learner, instrument, answers) -> float:
    """Start a draft (untimed), time writing its answers with one bulk_create, then mark it
    submitted (untimed) so that both kinds leave the same rows behind."""
    from django.db import transaction
    from django.utils import timezone

    from assessments import services
    from assessments.models import Answer, Response

    draft = services.response_start(learner=learner, instrument=instrument)
    rows = [Answer(response=draft, item_key=key, value=value) for key, value in answers.items()]
    started = time.perf_counter()
    with transaction.atomic():
        Answer.objects.bulk_create(rows)
    elapsed = time.perf_counter() - started
    Response.objects.filter(pk=draft.pk).update(
        status=Response.Status.SUBMITTED,
        revision=instrument.live_revision,
        submitted_at=timezone.now(),
    )
    if Answer.objects.filter(response=draft).count() != len(answers):
        raise SystemExit("the baseline did not write every answer: nothing worth measuring.")
    return elapsed


def counted(kind, learner, instrument, answers) -> int:
    """Queries of the measured part only: the draft is started outside the capture."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from assessments import services
    from assessments.models import Answer

    draft = services.response_start(learner=learner, instrument=instrument)
    with CaptureQueriesContext(connection) as queries:
        if kind == "submit":
            services.response_submit(response=draft, answers=answers)
        else:
            with transaction.atomic():
                Answer.objects.bulk_create(
                    [Answer(response=draft, item_key=k, value=v) for k, v in answers.items()]
                )
    return len(queries)


def run(args: argparse.Namespace) -> None:
    from tests.assessments.factories import answers as answers_for

    forty, five = build_instruments()
    submitter, baseline, other = create_learners(3)
    # A spread of answers, so that every dimension lands in a band and the mean is not 3.
    forty_answers = answers_for(forty, lambda index, _key: index % 5 + 1)
    five_answers = answers_for(five, lambda index, _key: index % 5 + 1)
    definition = forty.questionnaire().definition

    print(
        f"instrument: {len(forty_answers)} questions in {len(definition.dimensions)} dimensions "
        f"of {QUESTIONS_PER_DIMENSION} ({sum(item.reverse for item in definition.items)} "
        f"reverse-keyed), {len(definition.scale)}-point scale, mean, {len(BANDS)} bands each"
    )
    print(
        f"submissions: {args.warmup} warm-up, then {args.repeat} timed, of each kind, interleaved"
    )

    kinds = [
        ("submit", submit, submitter),
        ("baseline", bare_write, baseline),
    ]
    for _round in range(args.warmup):
        for _name, measure, learner in kinds:
            measure(learner, forty, forty_answers)
    times: dict[str, list[float]] = {name: [] for name, _measure, _learner in kinds}
    for round_number in range(args.repeat):
        # Alternate which goes first, so neither always follows the other.
        ordered = kinds if round_number % 2 == 0 else kinds[::-1]
        for name, measure, learner in ordered:
            times[name].append(measure(learner, forty, forty_answers))

    # The first submission of a revision in a process reads the revision to build its
    # questionnaire (one query more, once); count the ones after it, as for the forty.
    submit(other, five, five_answers)
    submit_queries = counted("submit", other, forty, forty_answers)
    short_queries = counted("submit", other, five, five_answers)
    baseline_queries = counted("baseline", baseline, forty, forty_answers)

    submit_ms = statistics.median(times["submit"]) * 1000
    baseline_ms = statistics.median(times["baseline"]) * 1000
    print(
        f"response_submit, fresh draft, {len(forty_answers)} answers: "
        f"median {submit_ms:.1f} ms, {submit_queries} queries"
    )
    print(
        f"response_submit, fresh draft, {len(five_answers)} answers (1 dimension): "
        f"{short_queries} queries"
    )
    print(
        f"baseline, {len(forty_answers)} Answer rows in one bulk_create: "
        f"median {baseline_ms:.1f} ms, {baseline_queries} queries"
    )
    print(f"ratio: {submit_ms / baseline_ms:.1f}x")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-assessment-submit-") as name:
        shared.django_setup(Path(name))
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
