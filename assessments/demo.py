"""The five shipped instruments and demo responses for `manage.py seed_demo`.

Responses go through the same services learners use, with answers drawn from a seeded
random generator around a per-person profile, so every screen shows believable data and
running the command twice changes nothing.
"""

import copy
import datetime
import random

from django.utils import timezone
from wagtail.models import Page

from accounts.models import User

from . import services
from .demo_content import load_instruments
from .models import Instrument, Response, Team

ORDER = 40  # after the modules, whose pages bands suggest

# slug: (learner numbers who answer, days ago of the first answer)
INDIVIDUAL_RESPONSES = {
    "strengths-self-profile": (range(1, 13), 75),
    "compassionate-leadership-and-core-needs": (range(1, 9), 40),
    "partnership-health-check": (range(1, 7), 20),
}
# (instrument slug, team name, creator, other members, members who answer)
TEAMS = [
    ("team-dysfunctions-check", "Riverside discharge team", 1, (2, 3, 4, 5), (1, 2, 3, 4)),
    ("team-psychological-safety", "Northfield reablement huddle", 6, (1, 7), (6, 1)),
]


# Demo lessons that end by inviting learners to take an instrument: (lesson slug, instrument
# slug, why now). Lessons are reached as Wagtail pages, so this app imports nothing of modules.
LESSON_LINKS = [
    (
        "what-counts-as-a-strength",
        "strengths-self-profile",
        "See which of your strengths stand out now, then take it again in a few months.",
    ),
    (
        "putting-results-first-and-checking-your-own-team",
        "team-dysfunctions-check",
        "Check your own team: each member answers alone and you see the combined picture.",
    ),
    (
        "measuring-and-building-it-together",
        "team-psychological-safety",
        "Measure it together: nobody sees anyone else's answers.",
    ),
    (
        "practising-compassionate-leadership-this-week",
        "compassionate-leadership-and-core-needs",
        "Take stock of how you lead and how your own core needs are met.",
    ),
    (
        "checking-the-impact-and-the-threads-that-run-throughout",
        "partnership-health-check",
        "Check the health of a partnership you work in.",
    ),
]


def _link_lessons(instruments, log) -> None:
    for lesson_slug, instrument_slug, introduction in LESSON_LINKS:
        page = Page.objects.live().filter(slug=lesson_slug).first()
        lesson = page.specific if page is not None else None
        body = getattr(lesson, "body", None)
        if body is None or any(block.block_type == "self_assessment" for block in body):
            continue
        body.append(
            (
                "self_assessment",
                {"instrument": instruments[instrument_slug], "introduction": introduction},
            )
        )
        lesson.save_revision().publish()
        log(f"lesson links to: {instruments[instrument_slug].title}")


def _instrument(spec, log) -> Instrument:
    existing = Instrument.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    fields = copy.deepcopy(spec.fields)
    for (field, index, b_index), slug in spec.suggested_modules.items():
        page = Page.objects.live().filter(slug=slug).first()
        if page is not None:
            band = fields[field][index]["value"]["bands"][b_index]["value"]
            band["suggested_module"] = page.pk
    instrument = Instrument(**fields, live=False)
    instrument.full_clean()
    instrument.save()
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    log(f"self-assessment: {instrument.title}")
    return instrument


def _answers(instrument: Instrument, rng: random.Random, lift: float = 0.0) -> dict[str, int]:
    """Answers around a level per dimension for one imagined person."""
    definition = instrument.questionnaire().definition
    values = sorted(definition.values)
    levels = {dimension.key: rng.uniform(0.25, 0.85) for dimension in definition.dimensions}
    answers = {}
    for item in definition.items:
        level = min(1.0, max(0.0, levels[item.dimension_key] + lift + rng.gauss(0, 0.15)))
        value = values[round(level * (len(values) - 1))]
        # A reverse-keyed statement is disagreed with by someone high on the dimension.
        answers[item.key] = (
            definition.lowest + definition.highest - value if item.reverse else value
        )
    return answers


def _submit(learner, instrument, answers, *, days_ago: int, team=None) -> Response:
    response = services.response_start(learner=learner, instrument=instrument, team=team)
    response = services.response_submit(response=response, answers=answers)
    when = timezone.now() - datetime.timedelta(days=days_ago, hours=learner.pk % 7)
    Response.objects.filter(pk=response.pk).update(started_at=when, submitted_at=when)
    return response


def _answered(learner, instrument, team=None) -> bool:
    return (
        Response.objects.submitted()
        .filter(learner=learner, instrument=instrument, team=team)
        .exists()
    )


def _seed_individual(instruments, learners, log) -> None:
    for slug, (numbers, first_days_ago) in INDIVIDUAL_RESPONSES.items():
        instrument = instruments[slug]
        for number in numbers:
            learner = learners.get(number)
            if learner is None or _answered(learner, instrument):
                continue
            rng = random.Random(f"{slug}/{number}")  # noqa: S311 - demo data, not security
            _submit(
                learner, instrument, _answers(instrument, rng), days_ago=first_days_ago - number
            )
            if number == 1 and slug == "strengths-self-profile":
                # The same person later, after working on a few strengths.
                rng = random.Random(f"{slug}/{number}")  # noqa: S311
                later = _submit(
                    learner, instrument, _answers(instrument, rng, lift=0.12), days_ago=6
                )
                Response.objects.filter(pk=later.pk).update(shared_with_leads=True)
        log(f"demo responses: {instrument.title}")


def _seed_teams(instruments, learners, log) -> None:
    for slug, name, creator, others, answering in TEAMS:
        instrument = instruments[slug]
        team = Team.objects.filter(instrument=instrument, name=name).first()
        if team is None:
            team = services.team_create(
                learner=learners[creator],
                instrument=instrument,
                name=name,
                expires_at=timezone.now() + datetime.timedelta(days=60),
            )
            log(f"team: {name} (join code {team.join_code})")
        for number in others:
            services.team_join(learner=learners[number], code=team.join_code)
        for number in answering:
            learner = learners[number]
            if _answered(learner, instrument, team):
                continue
            rng = random.Random(f"{slug}/{name}/{number}")  # noqa: S311
            _submit(learner, instrument, _answers(instrument, rng), days_ago=10 + number, team=team)


def seed(*, password: str, log) -> list[tuple[str, str]]:
    instruments = {spec.slug: _instrument(spec, log) for spec in load_instruments()}
    learners = {
        number: user
        for number in range(1, 13)
        if (user := User.objects.filter(email=f"learner{number}@example.org").first())
    }
    _link_lessons(instruments, log)
    _seed_individual(instruments, learners, log)
    _seed_teams(instruments, learners, log)
    return []
