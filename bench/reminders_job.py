"""The daily reminders job's selection for 5,000 (or 50,000) learners, against
hand-written SQL selecting the same people.

    .venv/bin/python bench/reminders_job.py [--learners N] [--repeat N] [--postgres]

Builds a throwaway database (a SQLite file by default; with `--postgres`, a new database
on DATABASE_URL's server, or on a throwaway one `scripts/with-postgres` starts; the set-up
is `cohort_dashboard.py`'s). In it: one programme of 4 live modules, a cohort of N learners
who joined 8 to 40 days ago, a third of them never started, a third with a module quiet
for 30 days, a third active; one in ten with an action commitment due tomorrow; 2% with
no verified address, 1% left out of reports and 3% who switched "not started" off.

It times `notifications.selection.due_reminders` (batches of 1,000) against three raw SQL
statements (not started, gone quiet, commitment due) and stops unless both select the
same (person, kind, object) triples. It prints the selection's queries (which must not
depend on N beyond one share per batch), the median of each and their ratio. Nothing
here asserts a time.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import cohort_dashboard as dashboard  # noqa: E402 (bench/ is not a package)
import lesson_page as shared  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", action="store_true")
    return parser.parse_args(argv)


def build(count: int, rng):
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from accounts.models import User
    from cohorts import services
    from modules.models import Enrolment, JournalEntry
    from notifications.models import Preferences
    from notifications.selection import london_today

    _programme, modules = dashboard.build_programme(4)
    organisations, weights = dashboard.build_organisations(4)
    lead = dashboard.build_lead(organisations[0])
    cohort = services.cohort_create(lead=lead, name="Reminders bench cohort", modules=modules)
    ids = dashboard.create_learners(count, organisations, weights, prefix="remind", rng=rng)
    now = timezone.now()
    dashboard.add_members(
        cohort, ids, joined_at=lambda pk: now - datetime.timedelta(days=8 + pk % 33)
    )
    emails = dict(User.objects.filter(pk__in=ids).values_list("pk", "email"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=emails[pk], primary=True, verified=rng.random() > 0.02)
            for pk in ids
        ],
        batch_size=1000,
    )
    User.objects.filter(pk__in=[pk for pk in ids if pk % 100 == 7]).update(
        exclude_from_reports=True
    )
    Preferences.objects.bulk_create(
        [Preferences(person_id=pk, not_started=False) for pk in ids if rng.random() < 0.03],
        batch_size=1000,
    )
    enrolments = []
    for index, pk in enumerate(ids):
        if index % 3 == 0:
            continue
        quiet = index % 3 == 1
        visited = now - datetime.timedelta(days=30 if quiet else 2)
        enrolments.append(
            Enrolment(
                learner_id=pk,
                module=modules[index % len(modules)],
                module_title="Module",
                started_at=visited - datetime.timedelta(days=3),
                last_visited_at=visited,
            )
        )
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    tomorrow = london_today() + datetime.timedelta(days=1)
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                learner_id=pk,
                block_id=f"block-{pk}",
                lesson_title="Listening",
                module_title="Module",
                kind=JournalEntry.Kind.ACTION,
                prompt="What will you do?",
                due_on=tomorrow,
            )
            for pk in ids
            if pk % 10 == 3
        ],
        batch_size=1000,
    )
    return cohort, modules


RAW_ELIGIBLE = """
    u.is_active AND NOT u.exclude_from_reports
    AND EXISTS (SELECT 1 FROM account_emailaddress e
                WHERE e.user_id = u.id AND e."primary" AND e.verified)
    AND COALESCE((SELECT p.{kind} FROM notifications_preferences p WHERE p.person_id = u.id),
                 {default})
"""


def raw_due(today):
    """(person, kind, object) for the three kinds the bench builds, by hand-written SQL."""
    from django.db import connection

    from notifications.selection import london_start

    true = "TRUE" if connection.vendor == "postgresql" else "1"

    def eligible(kind):
        return RAW_ELIGIBLE.format(kind=kind, default=true)

    found = set()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT m.learner_id, m.cohort_id FROM cohorts_membership m
            JOIN accounts_user u ON u.id = m.learner_id
            JOIN cohorts_cohort c ON c.id = m.cohort_id
            WHERE {eligible("not_started")}
              AND m.joined_at < %s
              AND NOT EXISTS (
                SELECT 1 FROM modules_enrolment en
                JOIN cohorts_cohort_modules cm ON cm.modulepage_id = en.module_id
                WHERE en.learner_id = m.learner_id AND cm.cohort_id = m.cohort_id)
              AND NOT EXISTS (
                SELECT 1 FROM notifications_reminder r
                WHERE r.person_id = m.learner_id AND r.kind = 'not_started')
            """,  # noqa: S608 (only our own column names are formatted in)
            [london_start(today - datetime.timedelta(days=6))],
        )
        found |= {(pk, "not_started", f"cohort:{c}") for pk, c in cursor.fetchall()}
        cursor.execute(
            f"""
            SELECT en.learner_id, en.module_id FROM modules_enrolment en
            JOIN accounts_user u ON u.id = en.learner_id
            WHERE {eligible("gone_quiet")}
              AND en.module_id IS NOT NULL AND en.completed_at IS NULL
              AND COALESCE(en.last_visited_at, en.started_at) < %s
            """,  # noqa: S608
            [london_start(today - datetime.timedelta(days=20))],
        )
        found |= {(pk, "gone_quiet", f"module:{m}") for pk, m in cursor.fetchall()}
        cursor.execute(
            f"""
            SELECT j.learner_id, j.id FROM modules_journalentry j
            JOIN accounts_user u ON u.id = j.learner_id
            WHERE {eligible("commitment_due")}
              AND j.kind = 'action_commitment' AND j.due_on IN (%s, %s)
            """,  # noqa: S608
            [today + datetime.timedelta(days=1), today - datetime.timedelta(days=3)],
        )
        found |= {(pk, "commitment_due", f"commitment:{j}") for pk, j in cursor.fetchall()}
    return found


def selected(today):
    from notifications.selection import due_reminders

    return {
        (item.person_id, str(item.kind), item.object_key)
        for batch in due_reminders(today)
        for item in batch
    }


def median_ms(function, repeat):
    times = []
    for _round in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.selection import BATCH_SIZE, london_today

    rng = random.Random(15)
    started = time.perf_counter()
    build(args.learners, rng)
    built = time.perf_counter() - started
    today = london_today()
    ours, theirs = selected(today), raw_due(today)
    if ours != theirs:
        raise SystemExit(
            f"selection and raw SQL disagree: {len(ours - theirs)} only in the selection, "
            f"{len(theirs - ours)} only in the SQL"
        )
    with CaptureQueriesContext(connection) as queries:
        selected(today)
    batches = -(-args.learners // BATCH_SIZE)
    print(
        f"database: {connection.vendor}, {args.learners} learners built in {built:.0f} s; "
        f"{len(ours)} reminders due"
    )
    print(f"selection: {len(queries)} queries for {batches} batches of up to {BATCH_SIZE}")
    ours_ms = median_ms(lambda: selected(today), args.repeat)
    raw_ms = median_ms(lambda: raw_due(today), args.repeat)
    print(f"selection: median {ours_ms:.1f} ms over {args.repeat} rounds")
    print(f"raw SQL: median {raw_ms:.1f} ms over {args.repeat} rounds")
    print(f"ratio: {ours_ms / raw_ms:.2f}")


def main(argv=None):
    args = parse_args(argv)
    if args.postgres:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            script = BENCH.parent / "scripts" / "with-postgres"
            command = [str(script), sys.executable, str(Path(__file__).resolve())]
            os.execv(script, [*command, *(sys.argv[1:] if argv is None else argv)])  # noqa: S606
        original = dashboard.postgres_setup()
        from django.db import connection

        try:
            run(args)
        finally:
            connection.creation.destroy_test_db(original, verbosity=0)
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as name:
        shared.django_setup(Path(name))
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
