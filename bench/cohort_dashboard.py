"""A programme lead's cohort dashboard for 5,000 (or 50,000) learners, against hand-written
SQL computing every figure it shows; the learner grid; and the memory of streaming the
cohort's CSV export.

    .venv/bin/python bench/cohort_dashboard.py [--learners N] [--organisations N]
        [--modules N] [--repeat N] [--warmup N] [--postgres] [--explain]

Builds a throwaway database: by default a SQLite file in a temporary folder (the test
settings, whatever DATABASE_URL says; see `lesson_page.py`, whose setup this script
imports); with `--postgres`, a new database on the PostgreSQL server DATABASE_URL names,
or on a throwaway server that `scripts/with-postgres` starts for the run. In it: one
programme of 12 live modules, 8 organisations, a programme lead and a cohort of 5,000
learners made through `cohorts.services.cohort_create`, each learner with an enrolment in
every module (60,000 progress rows: about 30% completed, 45% part-way, the rest opened in
the last ten days), and about 60% of them with a submitted self-assessment (some twice).
A second cohort of 10 learners, by the same lead, is there to compare query counts.

Then, in this one process, signed in as the lead on Django's test client, interleaved:

1. the cohort's dashboard page (`cohorts_admin:dashboard`);
2. five hand-written SQL statements against the real tables that compute every figure the
   page shows: the headline and per organisation, per module, per week, and the
   self-assessment counts, means and spreads. The script stops unless they equal
   `cohorts.dashboard.cohort_dashboard`'s, for both cohorts.

It prints the dashboard's queries for both cohorts (they must be equal, or the script
stops), the median of each and their ratio (with `--explain`, on PostgreSQL, the plans of
the page's slow queries go to stderr). It then times the learner grid's first page and
checks its queries for both cohorts. Last, it streams the grid's CSV export of the whole
cohort (the Download CSV button's POST, with the background threshold raised so that the
response is streamed) chunk by chunk, keeping nothing, and prints its lines and queries,
the process's peak RSS before and during the stream, and tracemalloc's peak of Python
allocations while streaming against building the same CSV as a list of lines. Only the
ratio and the memory are worth comparing between machines; nothing here asserts a time.
"""

import argparse
import csv
import datetime
import gc
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import lesson_page as shared  # noqa: E402 (bench/ is not a package)

SMALL_COHORT = 10  # learners in the cohort whose query count is compared
LESSONS_PER_MODULE = 4  # what each enrolment's summary says; no lesson pages are needed
COMPLETED_EVERYTHING = 0.12  # learners who have finished every module
COMPLETED_WITHIN_DAYS = 84  # completions are spread over the last 12 weeks
RECENT_DAYS = 10  # "opened recently": started in the last ten days, no lesson done
PART_WAY = 0.64  # of a learner's unfinished modules, the share part-way (the rest recent)
COHORT_NAME = "North and East Leadership Programme 2026"
SMALL_COHORT_NAME = "Northfield action learning set"
MIB = 1024 * 1024

MODULE_TITLES = [
    "Seeing the system",
    "Working across boundaries",
    "Shared purpose",
    "Leading change together",
    "Attending and listening",
    "Understanding pressures",
    "Empathy in practice",
    "Helping teams thrive",
    "Measuring what matters",
    "Small tests of change",
    "Learning from people who use services",
    "Spreading what works",
]
ORGANISATIONS = [
    ("Riverside University Hospitals NHS Trust", "nhs_trust", 22),
    ("Northfield City Council", "local_authority", 18),
    ("Eastway Community Health NHS Trust", "nhs_trust", 15),
    ("Harbour Housing Association", "housing", 12),
    ("Meadowbank Primary Care Network", "primary_care", 10),
    ("Carers Together Northfield", "charity", 9),
    ("Northfield Volunteer Centre", "voluntary", 8),
    ("Northfield College of Health", "education", 6),
]
FIRST_NAMES = [
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Farid", "Grace", "Hamza", "Isla", "Jack",
    "Kemi", "Liam", "Maya", "Nathan", "Olivia", "Priya", "Quinn", "Rosa", "Sam", "Tariq",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Brown", "Campbell", "Davies", "Evans", "Fraser", "Green", "Hughes", "Iqbal",
    "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Roberts", "Singh",
    "Taylor", "Williams",
]  # fmt: skip
JOB_ROLES = [
    "Ward manager",
    "Social worker",
    "Housing officer",
    "Practice manager",
    "Team leader",
    "Volunteer coordinator",
    "Occupational therapist",
    "Commissioning manager",
]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--learners", type=int, default=5000, help="learners in the cohort (default 5000)"
    )
    parser.add_argument(
        "--organisations", type=int, default=8, help="their organisations (default 8)"
    )
    parser.add_argument(
        "--modules", type=int, default=12, help="live modules in the programme (default 12)"
    )
    parser.add_argument(
        "--repeat", type=int, default=20, help="timed runs of the page and the SQL (default 20)"
    )
    parser.add_argument(
        "--warmup", type=int, default=3, help="untimed runs of each first (default 3)"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="on PostgreSQL: a throwaway database on the server DATABASE_URL names, or on a "
        "throwaway server that scripts/with-postgres starts when DATABASE_URL is not set",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of the dashboard's queries that take over 20 ms "
        "(PostgreSQL only)",
    )
    args = parser.parse_args(argv)
    if min(args.learners, args.organisations, args.modules, args.repeat) < 1 or args.warmup < 0:
        parser.error(
            "--learners, --organisations, --modules and --repeat must be at least 1 "
            "and --warmup at least 0"
        )
    return args


# Data -----------------------------------------------------------------------------------


def build_programme(count: int):
    """A home page, and one programme of `count` live modules; returns both."""
    from home.services import site_ensure_home
    from modules.models import ModulePage, ProgrammePage

    home = site_ensure_home(title="Lead and learn together")
    programme = shared.publish(
        home,
        ProgrammePage(
            title="Systems and relational leadership",
            slug="systems-and-relational-leadership",
            summary="Leading together across organisations.",
        ),
    )
    modules = [
        shared.publish(
            programme,
            ModulePage(
                title=(
                    MODULE_TITLES[number]
                    if number < len(MODULE_TITLES)
                    else f"Leading together, part {number + 1}"
                ),
                slug=f"module-{number + 1}",
                summary="Map who is involved and who is missing.",
                learning_outcomes=[("outcome", "Draw a map of the system around one family")],
                estimated_minutes=15 * LESSONS_PER_MODULE,
            ),
        )
        for number in range(count)
    ]
    return programme, modules


def build_organisations(count: int):
    from accounts.models import Organisation

    specs = [
        ORGANISATIONS[number]
        if number < len(ORGANISATIONS)
        else (f"Northfield partner organisation {number + 1}", "other", 5)
        for number in range(count)
    ]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(name=name, type=kind, status=Organisation.Status.APPROVED)
            for name, kind, _weight in specs
        ]
    )
    return organisations, [weight for _name, _kind, weight in specs]


def build_lead(organisation):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import LEARNER, PROGRAMME_LEAD

    lead = User.objects.create_user(
        email="lead@example.org",
        password=None,
        first_name="Leila",
        last_name="Osei",
        organisation=organisation,
        job_role="Programme lead",
    )
    lead.groups.add(*Group.objects.filter(name__in=[LEARNER, PROGRAMME_LEAD]))
    return lead


def create_learners(count: int, organisations, weights, *, prefix: str, rng) -> list[int]:
    """`count` learners spread unevenly over the organisations; returns their ids in order.
    Unusable passwords: nobody signs in as them, and no password is hashed."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    users = [
        User(
            email=f"{prefix}{number:05d}@example.org",
            first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
            last_name=LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
            organisation=rng.choices(organisations, weights)[0],
            job_role=JOB_ROLES[number % len(JOB_ROLES)],
            password=make_password(None),
        )
        for number in range(1, count + 1)
    ]
    User.objects.bulk_create(users, batch_size=1000)
    return list(
        User.objects.filter(email__startswith=prefix).order_by("pk").values_list("pk", flat=True)
    )


def add_members(cohort, learner_ids, *, joined_at) -> None:
    from cohorts.models import Membership

    Membership.objects.bulk_create(
        [
            Membership(cohort=cohort, learner_id=learner_id, joined_at=joined_at(learner_id))
            for learner_id in learner_ids
        ],
        batch_size=1000,
    )


def enrolment(learner_id, module, *, kind: str, now, rng):
    """One enrolment whose summary agrees with itself: `completed` (every lesson, on a
    date in the last 12 weeks), `part_way` (1-3 lessons) or `recent` (opened in the last
    ten days, no lesson done)."""
    from modules.models import Enrolment

    if kind == "completed":
        completed_at = now - datetime.timedelta(
            minutes=rng.randint(60, COMPLETED_WITHIN_DAYS * 1440)
        )
        started_at = completed_at - datetime.timedelta(minutes=rng.randint(60, 4 * 1440))
        done, visited = LESSONS_PER_MODULE, completed_at
    elif kind == "part_way":
        completed_at = None
        started_at = now - datetime.timedelta(minutes=rng.randint(RECENT_DAYS * 1440, 80 * 1440))
        done = rng.randint(1, LESSONS_PER_MODULE - 1)
        visited = started_at + (now - started_at) * rng.random()
    else:
        completed_at = None
        started_at = now - datetime.timedelta(minutes=rng.randint(30, RECENT_DAYS * 1440))
        done, visited = 0, started_at
    return Enrolment(
        learner_id=learner_id,
        module_id=module.pk,
        module_title=module.title,
        started_at=started_at,
        completed_at=completed_at,
        last_visited_at=visited,
        lessons_total=LESSONS_PER_MODULE,
        lessons_completed=done,
        seconds_on_page=done * rng.randint(420, 1200) + rng.randint(0, 300),
    )


def create_progress(learner_ids, modules, *, rng, batch: int = 500) -> Counter:
    """An enrolment for every learner in every module, written a few thousand at a time
    (so that the build does not hold 60,000 rows in memory). Each learner has finished the
    first modules of the programme (every one, for about 12%) and is part-way through or has
    just opened each of the rest. Returns how many rows of each kind were written."""
    from django.db import transaction
    from django.utils import timezone

    from modules.models import Enrolment

    now = timezone.now()
    kinds: Counter = Counter()
    with transaction.atomic():
        for start in range(0, len(learner_ids), batch):
            rows = []
            for learner_id in learner_ids[start : start + batch]:
                finished = (
                    len(modules)
                    if rng.random() < COMPLETED_EVERYTHING
                    else min(rng.randint(0, 5), len(modules))
                )
                for index, module in enumerate(modules):
                    if index < finished:
                        kind = "completed"
                    else:
                        kind = "part_way" if rng.random() < PART_WAY else "recent"
                    kinds[kind] += 1
                    rows.append(enrolment(learner_id, module, kind=kind, now=now, rng=rng))
            Enrolment.objects.bulk_create(rows)
    return kinds


def build_small_cohort(lead, programme, organisations, modules, *, start_date, rng):
    """Ten learners with hand-picked progress (some not started, two who joined five days
    ago), plus a staff test account that is left out of reports."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from cohorts.services import cohort_create
    from modules.models import Enrolment

    now = timezone.now()
    learner_ids = create_learners(
        SMALL_COHORT, organisations[:3], [1] * min(3, len(organisations)), prefix="set", rng=rng
    )
    tester = User.objects.create_user(
        email="test.account@example.org", password=None, exclude_from_reports=True
    )
    cohort = cohort_create(
        lead=lead, name=SMALL_COHORT_NAME, start_date=start_date, programmes=[programme]
    )
    recent = set(learner_ids[7:])  # joined five days ago
    add_members(
        cohort,
        [*learner_ids, tester.pk],
        joined_at=lambda pk: now - datetime.timedelta(days=5 if pk in recent else 30),
    )
    # Finished everything; part-way; just opened; then nothing (three of whom joined
    # a month ago, so count as not started after 14 days); the test account too.
    plans = {0: ["completed"] * len(modules), 1: ["completed", "part_way"], 2: ["part_way"]}
    plans.update({3: ["recent"], 7: ["part_way"], 10: ["completed"]})
    with transaction.atomic():
        Enrolment.objects.bulk_create(
            [
                enrolment(learner_id, modules[index], kind=kind, now=now, rng=rng)
                for position, learner_id in enumerate([*learner_ids, tester.pk])
                for index, kind in enumerate(plans.get(position, [])[: len(modules)])
            ]
        )
    return cohort


ANSWERED = 0.6  # learners who have submitted the self-assessment
ANSWERED_TWICE = 0.15  # of those, the share with an earlier attempt that no longer counts
SHARED = 12  # responders who shared their result with the cohort's leads


def create_responses(
    learner_ids, instrument, *, rng, answered: float = ANSWERED, batch: int = 2000
) -> int:
    """Submitted responses to `instrument` (the tests' two-dimension `small_instrument`) by
    about `answered` of the learners (some twice: only the latest counts), with the two
    stored scores of each, written with `bulk_create`; the first few share their result.
    Returns how many learners answered."""
    from django.db import transaction
    from django.utils import timezone

    from assessments.models import DimensionScore, Response

    revision = instrument.live_revision
    dimensions = [("trust", 0, "Trust"), ("conflict", 1, "Conflict")]
    now = timezone.now()
    responders = 0
    with transaction.atomic():
        for start in range(0, len(learner_ids), batch):
            responses = []
            for learner_id in learner_ids[start : start + batch]:
                if rng.random() >= answered:
                    continue
                attempts = 2 if rng.random() < ANSWERED_TWICE else 1
                for attempt in range(attempts):
                    submitted = now - datetime.timedelta(
                        minutes=rng.randint(60, 80 * 1440) // (attempt + 1)
                    )
                    responses.append(
                        Response(
                            learner_id=learner_id,
                            instrument=instrument,
                            revision=revision,
                            status=Response.Status.SUBMITTED,
                            submitted_at=submitted,
                            shared_with_leads=responders < SHARED and attempt == attempts - 1,
                        )
                    )
                responders += 1
            Response.objects.bulk_create(responses)
            scores = []
            for response in responses:
                for key, position, name in dimensions:
                    value = rng.randint(3, 9)
                    scores.append(
                        DimensionScore(
                            response=response,
                            dimension_key=key,
                            position=position,
                            name=name,
                            raw_score=value,
                            scaled_score=value,
                            minimum=3,
                            maximum=9,
                        )
                    )
            DimensionScore.objects.bulk_create(scores)
    return responders


def build(args: argparse.Namespace):
    from django.utils import timezone

    from cohorts.services import cohort_create
    from tests.assessments.factories import small_instrument

    rng = random.Random(2026)
    programme, modules = build_programme(args.modules)
    organisations, weights = build_organisations(args.organisations)
    lead = build_lead(organisations[0])
    start_date = timezone.localdate() - datetime.timedelta(weeks=13)
    cohort = cohort_create(
        lead=lead,
        name=COHORT_NAME,
        description="Staff from across Northfield's health and care system, learning together.",
        start_date=start_date,
        programmes=[programme],
    )
    learner_ids = create_learners(args.learners, organisations, weights, prefix="learner", rng=rng)
    joined = timezone.now() - datetime.timedelta(weeks=13)
    add_members(
        cohort,
        learner_ids,
        joined_at=lambda _pk: joined + datetime.timedelta(minutes=rng.randint(0, 3 * 1440)),
    )
    kinds = create_progress(learner_ids, modules, rng=rng)
    instrument = small_instrument()
    kinds["answered"] = create_responses(learner_ids, instrument, rng=rng)
    small = build_small_cohort(
        lead, programme, organisations, modules, start_date=start_date, rng=rng
    )
    # Every member of the small cohort has answered too, so that both dashboards show
    # the same sections (and make the same queries).
    create_responses(
        list(small.memberships.values_list("learner_id", flat=True)),
        instrument,
        rng=rng,
        answered=1,
    )
    return lead, cohort, small, modules, kinds


# The same figures in hand-written SQL -----------------------------------------------------

TABLES = {
    "cohorts_membership": ("cohorts", "Membership"),
    "cohorts_retainedresponse": ("cohorts", "RetainedResponse"),
    "accounts_user": ("accounts", "User"),
    "accounts_organisation": ("accounts", "Organisation"),
    "modules_enrolment": ("modules", "Enrolment"),
    "assessments_response": ("assessments", "Response"),
    "assessments_dimensionscore": ("assessments", "DimensionScore"),
}

# The cohort's reportable members.
MEMBERS = """
SELECT m.learner_id, m.joined_at, u.organisation_id
FROM cohorts_membership m
JOIN accounts_user u ON u.id = m.learner_id
WHERE m.cohort_id = %s AND NOT u.exclude_from_reports
"""
# Per organisation: members, started (an enrolment in any of the modules), completed every
# module, and not started 14 days after joining. The headline is their sum.
ORGANISATIONS_SQL = """
SELECT o.name,
       COUNT(*),
       SUM(CASE WHEN p.started > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.completed >= %s THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.started = 0 AND p.joined_at <= %s THEN 1 ELSE 0 END)
FROM (
    SELECT m.id, u.organisation_id, m.joined_at,
           COUNT(e.id) AS started, COUNT(e.completed_at) AS completed
    FROM cohorts_membership m
    JOIN accounts_user u ON u.id = m.learner_id
    LEFT JOIN modules_enrolment e ON e.learner_id = m.learner_id AND e.module_id IN ({modules})
    WHERE m.cohort_id = %s AND NOT u.exclude_from_reports
    GROUP BY m.id, u.organisation_id, m.joined_at
) p
LEFT JOIN accounts_organisation o ON o.id = p.organisation_id
GROUP BY p.organisation_id, o.name
"""
# Per module: members in progress and completed (the rest have not started).
MODULES_SQL = f"""
WITH members AS ({MEMBERS})
SELECT e.module_id,
       SUM(CASE WHEN e.completed_at IS NULL THEN 1 ELSE 0 END),
       SUM(CASE WHEN e.completed_at IS NOT NULL THEN 1 ELSE 0 END)
FROM modules_enrolment e
JOIN members m ON m.learner_id = e.learner_id
WHERE e.module_id IN ({{modules}})
GROUP BY e.module_id
"""  # noqa: S608 (constants only; every value is a parameter)
# Completions since the first week shown, per week from Monday in London time. SQLite has
# no time zones: there, per UTC hour, folded into London weeks in Python.
WEEKS_SQL = {
    "postgresql": f"""
WITH members AS ({MEMBERS})
SELECT (date_trunc('week', e.completed_at AT TIME ZONE 'Europe/London'))::date, COUNT(*)
FROM modules_enrolment e
JOIN members m ON m.learner_id = e.learner_id
WHERE e.module_id IN ({{modules}}) AND e.completed_at >= %s
GROUP BY 1
""",  # noqa: S608
    "sqlite": f"""
WITH members AS ({MEMBERS})
SELECT substr(e.completed_at, 1, 13), COUNT(*)
FROM modules_enrolment e
JOIN members m ON m.learner_id = e.learner_id
WHERE e.module_id IN ({{modules}}) AND e.completed_at >= %s
GROUP BY 1
""",  # noqa: S608
}
# Each member's latest submitted response per instrument, and former members' responses
# kept in the cohort's figures.
LATEST = f"""
WITH members AS ({MEMBERS}),
ranked AS (
    SELECT r.id, r.instrument_id,
           ROW_NUMBER() OVER (
               PARTITION BY r.learner_id, r.instrument_id
               ORDER BY r.submitted_at DESC, r.id DESC
           ) AS place
    FROM assessments_response r
    JOIN members m ON m.learner_id = r.learner_id
    WHERE r.status = 'submitted'
),
latest AS (
    SELECT id, instrument_id FROM ranked WHERE place = 1
    UNION ALL
    SELECT r.id, r.instrument_id
    FROM assessments_response r
    JOIN cohorts_retainedresponse k ON k.response_id = r.id
    WHERE k.cohort_id = %s AND r.status = 'submitted' AND r.learner_id IS NULL
)
"""  # noqa: S608 (constants only; every value is a parameter)
INSTRUMENTS_SQL = LATEST + "SELECT instrument_id, COUNT(*) FROM latest GROUP BY 1"  # noqa: S608
DIMENSIONS_SQL = (
    LATEST
    + """
SELECT l.instrument_id, s.name, COUNT(*), SUM(s.scaled_score),
       SUM(s.scaled_score * s.scaled_score)
FROM latest l
JOIN assessments_dimensionscore s ON s.response_id = l.id
GROUP BY l.instrument_id, s.dimension_key, s.name
"""  # noqa: S608 (constants only; every value is a parameter)
)


def check_tables() -> None:
    from django.apps import apps

    for table, (app_label, model) in TABLES.items():
        actual = apps.get_model(app_label, model)._meta.db_table
        if actual != table:
            raise SystemExit(f"{app_label}.{model} is stored in {actual}, not {table}.")


def raw_figures(cohort, module_ids: list[int]):
    """Every figure the dashboard shows, in five hand-written statements: the headline,
    per organisation, per module (by id), per week, and per instrument its responses and
    per dimension the count, mean and spread (only where enough members answered)."""
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from cohorts.dashboard import NOT_STARTED_AFTER_DAYS, bucket_date, weeks_shown

    now = timezone.now()
    london = ZoneInfo(settings.TIME_ZONE)
    adapt = connection.ops.adapt_datetimefield_value
    joined_before = adapt(now - datetime.timedelta(days=NOT_STARTED_AFTER_DAYS))
    weeks = weeks_shown(cohort, now=now)
    since = adapt(datetime.datetime.combine(weeks[0], datetime.time.min, tzinfo=london))
    modules = ", ".join(["%s"] * len(module_ids))
    cohort_id = cohort.pk
    with connection.cursor() as cursor:
        cursor.execute(
            ORGANISATIONS_SQL.format(modules=modules),
            [len(module_ids) or 1, joined_before, *module_ids, cohort_id],
        )
        rows = cursor.fetchall()
        organisations = {
            name: (int(members), int(started), int(completed))
            for name, members, started, completed, _stalled in rows
        }
        headline = tuple(sum(int(row[index]) for row in rows) for index in (1, 2, 3, 4))
        cursor.execute(MODULES_SQL.format(modules=modules), [cohort_id, *module_ids])
        by_module = {
            module_id: (int(in_progress), int(completed))
            for module_id, in_progress, completed in cursor.fetchall()
        }
        cursor.execute(
            WEEKS_SQL[connection.vendor].format(modules=modules), [cohort_id, *module_ids, since]
        )
        by_week: Counter = Counter()
        for bucket, completions in cursor.fetchall():
            day = bucket_date(bucket)
            by_week[day - datetime.timedelta(days=day.weekday())] += completions
        cursor.execute(INSTRUMENTS_SQL, [cohort_id, cohort_id])
        responses = {instrument: int(count) for instrument, count in cursor.fetchall()}
        cursor.execute(DIMENSIONS_SQL, [cohort_id, cohort_id])
        dimensions = {}
        minimum = settings.MIN_GROUP_SIZE
        for instrument, name, count, total, squares in cursor.fetchall():
            if responses[instrument] < minimum or count < minimum:
                dimensions[(instrument, name)] = (int(count), None, None)
                continue
            total, squares = Decimal(total), Decimal(squares)
            spread = ((squares - total * total / count) / (count - 1)).sqrt() if count > 1 else 0
            dimensions[(instrument, name)] = (
                int(count),
                round(float(total / count), 9),
                round(float(spread), 9),
            )
    return {
        "headline": headline,
        "organisations": organisations,
        "modules": by_module,
        "weeks": tuple(by_week.get(week, 0) for week in weeks),
        "responses": responses,
        "dimensions": dimensions,
    }


def dashboard_figures(board, module_ids: list[int], instruments: dict) -> dict:
    """The same figures as `raw_figures`, read from the dashboard."""
    headline = board.headline
    titles = {module.title: module.pk for module in board.modules}
    ids = {title: pk for pk, title in instruments.items()}
    return {
        "headline": (
            headline.members,
            headline.started,
            headline.completed,
            headline.not_started_after_14_days,
        ),
        "organisations": {
            row.name: (row.members, row.started, row.completed) for row in board.organisations
        },
        "modules": {
            titles[row.title]: (row.in_progress, row.completed)
            for row in board.module_rows
            if row.in_progress or row.completed
        },
        "weeks": tuple(week.completions for week in board.weeks),
        "responses": {ids[summary.title]: summary.responses for summary in board.instruments},
        "dimensions": {
            (ids[summary.title], dimension.name): (
                dimension.responses,
                None if dimension.mean is None else round(dimension.mean, 9),
                None if dimension.spread is None else round(dimension.spread, 9),
            )
            for summary in board.instruments
            if not summary.withheld
            for dimension in summary.dimensions
        },
    }


def check_figures(lead, cohort, module_ids) -> dict:
    """The raw SQL's figures, which must be the dashboard's; the script stops if not."""
    from assessments.models import Instrument
    from cohorts.dashboard import cohort_dashboard

    board = cohort_dashboard(user=lead, cohort=cohort)
    if sorted(module.pk for module in board.modules) != sorted(module_ids):
        raise SystemExit(f"{cohort.name}: the dashboard does not count the programme's modules.")
    instruments = dict(Instrument.objects.values_list("pk", "title"))
    expected = dashboard_figures(board, module_ids, instruments)
    actual = raw_figures(cohort, module_ids)
    # Instruments too small to show have no dimension figures on the page.
    actual["dimensions"] = {
        key: value
        for key, value in actual["dimensions"].items()
        if actual["responses"][key[0]] >= settings_min_group_size()
    }
    if actual != expected:
        raise SystemExit(
            f"{cohort.name}: the raw SQL gives {actual}, the dashboard {expected}: "
            "they would not be measuring the same thing."
        )
    return actual


def settings_min_group_size() -> int:
    from django.conf import settings

    return settings.MIN_GROUP_SIZE


def describe(figures) -> str:
    members, started, completed, stalled = figures["headline"]
    responses = sum(figures["responses"].values())
    return (
        f"{members:,} members, {started:,} started, {completed:,} completed every module, "
        f"{stalled:,} not started after 14 days, in {len(figures['organisations'])} "
        f"organisations; {sum(figures['weeks']):,} completions in {len(figures['weeks'])} "
        f"weeks; {responses:,} self-assessment responses"
    )


# Measuring ------------------------------------------------------------------------------


def time_raw_sql(cohort, module_ids: list[int]) -> float:
    started = time.perf_counter()
    raw_figures(cohort, module_ids)
    return time.perf_counter() - started


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB  # KiB on Linux


def reset_peak_rss() -> bool:
    """Reset the process's high-water mark of RSS to what it uses now (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def export_response(client, url: str):
    from django.test import override_settings

    with override_settings(COHORT_EXPORT_BACKGROUND_THRESHOLD=10**9):
        response = client.post(url, {"export": "csv"})
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(
            f"{url} answered {response.status_code} without streaming the CSV: "
            "the benchmark would measure the wrong thing."
        )
    return response


def stream_export(client, url: str, *, halfway: int, peak, tally: bool = False):
    """Consume the export chunk by chunk, keeping nothing. Returns the lines, the bytes,
    the status of every module cell (if `tally`), and what `peak()` returns once `halfway`
    lines have come (it should read a peak and reset it for the rest)."""
    response = export_response(client, url)
    lines = size = 0
    statuses: Counter = Counter()
    columns = first_half_peak = None
    try:
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
            if tally:
                row = next(csv.reader([chunk.decode()]))
                if columns is None:
                    columns = [index for index, name in enumerate(row) if name.endswith(" status")]
                else:
                    statuses.update(row[index] for index in columns)
            if lines == halfway:
                first_half_peak = peak()
    finally:
        response.close()
    return lines, size, statuses, first_half_peak


def export_in_memory(client, url: str) -> int:
    """The same CSV, kept as a list of lines; returns how many."""
    response = export_response(client, url)
    try:
        kept = list(response.streaming_content)
    finally:
        response.close()
    return sum(chunk.count(b"\n") for chunk in kept)


def measure_export(client, cohort, args, kinds: Counter) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    url = reverse("cohorts_admin:grid", args=[cohort.pk])  # the Download CSV button's POST
    expected_lines = args.learners + 1
    halfway = 1 + args.learners // 2
    cells = args.learners * args.modules

    def rss_peak() -> float:
        value = peak_rss_mib()
        reset_peak_rss()
        return value

    def traced_peak() -> int:
        value = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        return value

    # 1. Untraced: lines, cells, queries, time and the process's peak RSS in each half.
    gc.collect()
    reset = reset_peak_rss()
    rss_before = peak_rss_mib()
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        lines, size, statuses, rss_first_half = stream_export(
            client, url, halfway=halfway, peak=rss_peak, tally=True
        )
    elapsed = time.perf_counter() - started
    export_queries = len(queries)  # now: a later request empties the log it reads
    rss_second_half = peak_rss_mib()
    if rss_first_half is None:
        raise SystemExit("the export did not send one line per chunk.")
    # Every learner has an enrolment in every module: no cell says "Not started".
    expected_statuses = Counter(
        {"Completed": kinds["completed"], "In progress": kinds["part_way"] + kinds["recent"]}
    )
    if lines != expected_lines or statuses != expected_statuses:
        raise SystemExit(
            f"the export has {lines} lines and cells {dict(statuses)}, not {expected_lines} "
            f"lines and {expected_statuses}: it would not be the whole cohort."
        )

    # 2. Python's allocations while streaming, in the first and the second half.
    gc.collect()
    tracemalloc.start()
    stream_lines, _size, _statuses, first_half = stream_export(
        client, url, halfway=halfway, peak=traced_peak
    )
    second_half = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    # 3. The same CSV built in memory, as a list of every line.
    gc.collect()
    tracemalloc.start()
    kept_lines = export_in_memory(client, url)
    in_memory = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    if stream_lines != expected_lines or kept_lines != expected_lines:
        raise SystemExit("the export's length changed between runs.")

    print(
        f"CSV export, streamed: {lines:,} lines (a heading and {args.learners:,} learners, "
        f"{cells:,} module cells), {size / MIB:.1f} MiB in {elapsed:.1f} s, "
        f"{export_queries} queries"
    )
    rss_peak_during = max(rss_first_half, rss_second_half)
    print(
        f"peak RSS (ru_maxrss): {rss_before:.1f} MiB before the stream, "
        f"{rss_peak_during:.1f} MiB during it (+{rss_peak_during - rss_before:.1f}; "
        f"first half {rss_first_half:.1f}, second half {rss_second_half:.1f})"
    )
    if not reset:
        print(
            "note: /proc/self/clear_refs could not reset the high-water mark, so these peaks "
            "include building the data"
        )
    print(
        f"Python allocations (tracemalloc peak): streamed {max(first_half, second_half) / MIB:.1f} "
        f"MiB (first half {first_half / MIB:.1f}, second half {second_half / MIB:.1f}); "
        f"kept as a list of lines {in_memory / MIB:.1f} MiB"
    )


def explain_dashboard(client, url: str, *, slower_than_ms: float = 20) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each query of one dashboard request that took longer
    than `slower_than_ms` (PostgreSQL, whose captured SQL is the SQL it ran)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        print("note: --explain needs PostgreSQL; nothing explained")
        return
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in queries.captured_queries:
        if float(query["time"]) * 1000 < slower_than_ms or not query["sql"].startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        sys.stderr.write(f"\n-- {float(query['time']) * 1000:.0f} ms\n{query['sql']}\n{plan}\n")


def measure_grid(client, cohort, small, args) -> None:
    """The learner grid's first page (50 learners, sorted by name), timed a few times, and
    its queries for both cohorts, which must be the same."""
    from django.urls import reverse

    big_url = reverse("cohorts_admin:grid", args=[cohort.pk])
    small_url = reverse("cohorts_admin:grid", args=[small.pk])
    shared.fetch(client, big_url, COHORT_NAME)
    times = [shared.fetch(client, big_url, COHORT_NAME) for _round in range(3)]
    big_queries = shared.count_queries(client, big_url)
    small_queries = shared.count_queries(client, small_url)
    if big_queries != small_queries:
        raise SystemExit("the grid's queries grow with the cohort: fix that first.")
    print(
        f"learner grid, first page: median {statistics.median(times) * 1000:.1f} ms, "
        f"{big_queries} queries for {args.learners:,} learners and for {SMALL_COHORT}"
    )


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def analyze() -> None:
    """Fresh planner statistics, as autovacuum would leave them after a bulk load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def run(args: argparse.Namespace) -> None:
    from django.test import Client
    from django.urls import reverse

    check_tables()
    started = time.perf_counter()
    lead, cohort, small, modules, kinds = build(args)
    analyze()
    built_in = time.perf_counter() - started
    module_ids = [module.pk for module in modules]
    big_figures = check_figures(lead, cohort, module_ids)
    small_figures = check_figures(lead, small, module_ids)

    total = kinds["completed"] + kinds["part_way"] + kinds["recent"]
    print(
        f"cohort: {args.learners:,} learners across {args.organisations} organisations, "
        f"{args.modules} modules, {total:,} progress rows ({kinds['completed']:,} completed, "
        f"{kinds['part_way']:,} part-way, {kinds['recent']:,} opened in the last "
        f"{RECENT_DAYS} days)"
    )
    print(
        f"database: {describe_database()}, built in {built_in:.0f} s; "
        f"{kinds['answered']:,} learners answered the self-assessment"
    )
    for learners, figures in ((args.learners, big_figures), (SMALL_COHORT, small_figures)):
        print(f"figures, {learners:,} learners: {describe(figures)}")
    print(
        "raw SQL: the same figures as the dashboard's (headline, organisations, modules, weeks, "
        "self-assessments), for both cohorts"
    )
    print(
        f"requests: {args.warmup} warm-up, then {args.repeat} timed, of the dashboard and "
        "of the raw SQL, interleaved"
    )

    client = Client()
    client.force_login(lead)
    dashboard_url = reverse("cohorts_admin:dashboard", args=[cohort.pk])
    small_url = reverse("cohorts_admin:dashboard", args=[small.pk])
    kinds_of_run = [
        ("dashboard", lambda: shared.fetch(client, dashboard_url, COHORT_NAME)),
        ("raw SQL", lambda: time_raw_sql(cohort, module_ids)),
    ]
    shared.fetch(client, small_url, SMALL_COHORT_NAME)
    for _round in range(args.warmup):
        for _name, measure in kinds_of_run:
            measure()
    times: dict[str, list[float]] = {name: [] for name, _measure in kinds_of_run}
    for round_number in range(args.repeat):
        # Alternate which goes first, so neither always follows the other.
        ordered = kinds_of_run if round_number % 2 == 0 else kinds_of_run[::-1]
        for name, measure in ordered:
            times[name].append(measure())
    big_queries = shared.count_queries(client, dashboard_url)
    small_queries = shared.count_queries(client, small_url)

    dashboard_ms = statistics.median(times["dashboard"]) * 1000
    raw_ms = statistics.median(times["raw SQL"]) * 1000
    print(
        f"dashboard queries: {big_queries} for {args.learners:,} learners, "
        f"{small_queries} for {SMALL_COHORT} learners"
    )
    if big_queries != small_queries:
        raise SystemExit("the dashboard's queries grow with the cohort: fix that first.")
    print(f"dashboard page (signed-in lead): median {dashboard_ms:.1f} ms, {big_queries} queries")
    print(f"raw SQL, every figure on the page (5 statements): median {raw_ms:.1f} ms")
    print(f"ratio dashboard / raw SQL: {dashboard_ms / raw_ms:.1f}x")
    if args.explain:
        explain_dashboard(client, dashboard_url)
    measure_grid(client, cohort, small, args)

    measure_export(client, cohort, args, kinds)


def postgres_setup() -> str:
    """The test settings on a new, migrated database on DATABASE_URL's PostgreSQL server
    (as the test runner makes one); returns the name to drop afterwards."""
    root = BENCH.parent
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django
    from django.db import connection

    django.setup()
    if connection.vendor != "postgresql":
        raise SystemExit("--postgres: DATABASE_URL does not name a PostgreSQL database.")
    original = connection.settings_dict["NAME"]
    # A name of its own, so that it never clobbers a test run's database on the same server.
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_cohorts_{os.getpid()}"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return original


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.postgres:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            # A throwaway server for this run: this script again, under scripts/with-postgres.
            script = BENCH.parent / "scripts" / "with-postgres"
            command = [str(script), sys.executable, str(Path(__file__).resolve())]
            os.execv(script, [*command, *(sys.argv[1:] if argv is None else argv)])  # noqa: S606
        original = postgres_setup()
        from django.db import connection

        try:
            run(args)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-cohort-dashboard-") as name:
        shared.django_setup(Path(name))
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
