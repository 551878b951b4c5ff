"""Reads for team pages: a member's view of their team and the team's anonymous report.

Every function here costs a fixed number of queries, whatever the number of members,
responses or attempts. The report counts one response per member (their latest submitted
for the team), and shows nothing until at least `settings.MIN_GROUP_SIZE` members have
submitted; even then it holds only aggregates, never who answered or what one person said.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Avg, Count, Max, Min, OuterRef, Q, QuerySet, Subquery

from core.codes import normalise_join_code

from . import definitions, scoring
from .models import Answer, DimensionScore, Instrument, Response, Team, TeamMembership


def team_of_member(*, learner, team_id: int) -> Team | None:
    """The team with this id, with its instrument, if `learner` is a member; else None."""
    if not learner.is_authenticated:
        return None
    return (
        Team.objects.select_related("instrument", "instrument__live_revision")
        .filter(pk=team_id, memberships__learner=learner)
        .first()
    )


def team_by_code(code: str) -> Team | None:
    """The team a join code (as typed or in a link) belongs to, with its instrument."""
    normalised = normalise_join_code(code or "")
    if not normalised:
        return None
    return Team.objects.select_related("instrument").filter(join_code=normalised).first()


def counted_responses(team: Team) -> QuerySet[Response]:
    """Each current member's latest submitted response for this team, and the one each
    former member left when they erased their account (kept anonymously, so that the
    report stays as it was), and no others."""
    latest = (
        Response.objects.submitted()
        .filter(team=team, learner=OuterRef("learner"))
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    members = TeamMembership.objects.filter(team=team).values("learner")
    return (
        Response.objects.submitted()
        .filter(team=team)
        .filter(
            Q(learner__in=members, pk=Subquery(latest))
            | Q(anonymised_at__isnull=False, learner__isnull=True)
        )
    )


@dataclass(frozen=True)
class TeamProgress:
    members: int
    submitted: int
    needed: int  # more submissions before the report appears (0 once it does)

    @property
    def report_ready(self) -> bool:
        return self.needed == 0


def team_progress(team: Team) -> TeamProgress:
    """How many members the team has and how many have submitted (two queries). Former
    members whose answers still count (see `counted_responses`) count as members."""
    counted = counted_responses(team).aggregate(
        submitted=Count("pk"), former=Count("pk", filter=Q(learner__isnull=True))
    )
    submitted = counted["submitted"]
    return TeamProgress(
        members=TeamMembership.objects.filter(team=team).count() + counted["former"],
        submitted=submitted,
        needed=max(0, settings.MIN_GROUP_SIZE - submitted),
    )


@dataclass(frozen=True)
class OwnStatus:
    """Where the signed-in member is with this team's self-assessment."""

    draft: Response | None
    latest: Response | None  # their latest submitted response for this team


def own_status(*, learner, team: Team) -> OwnStatus:
    mine = Response.objects.of(learner).filter(team=team)
    return OwnStatus(
        draft=mine.drafts().order_by("-started_at").first(),
        latest=mine.submitted().order_by("-submitted_at", "-pk").first(),
    )


# The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionSummary:
    """A dimension across the team: attribute names match what `charts.bars` draws."""

    dimension_key: str
    name: str
    scaled_score: Decimal  # the team's mean
    lowest: Decimal
    highest: Decimal
    minimum: Decimal  # lowest possible score
    maximum: Decimal  # highest possible score
    band_label: str
    count: int


@dataclass(frozen=True)
class AnswerShare:
    label: str
    value: int
    count: int
    percent: int


@dataclass(frozen=True)
class QuestionSummary:
    number: int
    text: str
    total: int
    shares: tuple[AnswerShare, ...]


@dataclass(frozen=True)
class SectionSummary:
    heading: str
    questions: tuple[QuestionSummary, ...]


@dataclass(frozen=True)
class TeamReport:
    progress: TeamProgress
    dimensions: tuple[DimensionSummary, ...] = ()
    sections: tuple[SectionSummary, ...] = ()

    @property
    def ready(self) -> bool:
        return self.progress.report_ready


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def band_of_mean(dimension: scoring.Dimension, mean: Fraction) -> str:
    """The band a team's mean falls in.

    Bands cover every score one person can get, but a mean can fall between two bands
    (3.995 between "3 to 3.99" and "4 to 5"); it then belongs to the band below it.
    """
    found = scoring.band_for(dimension, mean)
    if found is not None:
        return found[1].label
    below = [band for band in dimension.bands if _fraction(band.lower) <= mean]
    if below:
        return max(below, key=lambda band: _fraction(band.lower)).label
    if dimension.bands:
        return min(dimension.bands, key=lambda band: _fraction(band.lower)).label
    return ""


def _percent(count: int, total: int) -> int:
    if not total:
        return 0
    exact = Decimal(count * 100) / Decimal(total)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def report_questionnaire(team: Team, responses: QuerySet[Response]):
    """The words for the report: the instrument's live version, or if it has none now,
    the newest revision that a counted response was answered on."""
    instrument = team.instrument
    revision = instrument.live_revision if instrument.live else None
    if revision is None:
        newest = (
            responses.select_related("revision").order_by("-revision__created_at", "-pk").first()
        )
        revision = newest.revision if newest is not None else None
    if revision is None:
        return None
    return definitions.for_revision(revision, Instrument)


def team_report(team: Team) -> TeamReport:
    """The team's anonymous report; only its progress until enough members submitted.

    Queries: members, submitted members, and (once enough have submitted) the dimension
    aggregates and the answer counts, plus one for the words if the instrument is no
    longer live. None of them grows with the number of members or attempts.
    """
    progress = team_progress(team)
    if not progress.report_ready:
        return TeamReport(progress=progress)
    responses = counted_responses(team)
    questionnaire = report_questionnaire(team, responses)
    if questionnaire is None:
        return TeamReport(progress=progress)
    threshold = settings.MIN_GROUP_SIZE
    definition = questionnaire.definition

    aggregates = {
        row["dimension_key"]: row
        for row in DimensionScore.objects.filter(response__in=responses)
        .values("dimension_key")
        .annotate(
            mean=Avg("scaled_score"),
            lowest=Min("scaled_score"),
            highest=Max("scaled_score"),
            count=Count("id"),
        )
        .order_by()
    }
    dimensions = []
    for dimension in definition.dimensions:
        row = aggregates.get(dimension.key)
        if row is None or row["count"] < threshold:
            continue  # too few answered this version of the dimension to show it
        mean = _fraction(row["mean"])
        minimum, maximum = scoring.score_range(definition, dimension)
        dimensions.append(
            DimensionSummary(
                dimension_key=dimension.key,
                name=dimension.name,
                scaled_score=_decimal(mean),
                lowest=Decimal(str(row["lowest"])),
                highest=Decimal(str(row["highest"])),
                minimum=_decimal(minimum),
                maximum=_decimal(maximum),
                band_label=band_of_mean(dimension, mean),
                count=row["count"],
            )
        )

    counts: dict[str, dict[int, int]] = {}
    for row in (
        Answer.objects.filter(response__in=responses)
        .values("item_key", "value")
        .annotate(count=Count("id"))
        .order_by()
    ):
        counts.setdefault(row["item_key"], {})[row["value"]] = row["count"]
    sections = []
    for section in questionnaire.sections:
        questions = []
        for question in section.questions:
            given = counts.get(question.key, {})
            total = sum(given.get(option.value, 0) for option in definition.scale)
            if total < threshold:
                continue
            questions.append(
                QuestionSummary(
                    number=question.number,
                    text=question.text,
                    total=total,
                    shares=tuple(
                        AnswerShare(
                            label=option.label,
                            value=option.value,
                            count=given.get(option.value, 0),
                            percent=_percent(given.get(option.value, 0), total),
                        )
                        for option in definition.scale
                    ),
                )
            )
        if questions:
            sections.append(SectionSummary(heading=section.heading, questions=tuple(questions)))
    return TeamReport(progress=progress, dimensions=tuple(dimensions), sections=tuple(sections))


def counted_responses_of(learner) -> QuerySet[Response]:
    """The responses of `learner` that count in a team's report today: in each team they
    belong to, their latest submitted response for that team."""
    latest = (
        Response.objects.submitted()
        .filter(team=OuterRef("team"), learner=learner)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    return (
        Response.objects.submitted()
        .filter(
            learner=learner, team__in=TeamMembership.objects.filter(learner=learner).values("team")
        )
        .filter(pk=Subquery(latest))
    )
