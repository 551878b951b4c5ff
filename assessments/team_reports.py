"""Reads for team pages: a member's view of their team and the team's anonymous report.

Every function here costs a fixed number of queries, whatever the number of members,
responses or attempts. The report counts one response per member (their latest submitted
for the team), and shows nothing until at least `settings.MIN_GROUP_SIZE` members have
submitted; even then it holds only aggregates, never who answered or what one person said.

A team's mean is banded by rounding it half up to the nearest score one person could get
(`scoring.team_band`), with exact fractions: 7.67 or 7.5 on bands 6-7 and 8-9 reads as 8,
the upper band; 7.49 reads as 7.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

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


def counted_answers(team_ids: Iterable[int]) -> dict[int, int]:
    """Per team, how many answers count toward its report: as many as `counted_responses`
    holds, one for each current member who has submitted and one for each kept after its
    author erased their account. One query for any number of teams; a team with none is
    left out."""
    submitted = Response.objects.submitted().filter(team__in=list(team_ids))
    return dict(
        submitted.filter(
            Q(learner__team_memberships__team=F("team"))
            | Q(anonymised_at__isnull=False, learner__isnull=True)
        )
        .values("team")
        .annotate(
            counted=Count("learner", distinct=True) + Count("pk", filter=Q(learner__isnull=True))
        )
        .values_list("team", "counted")
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
    # The score one person could get that the mean reads as, for banding.
    read_as: Decimal | None = None
    # For a combined score: what it combines, in words.
    combines: str = ""

    @property
    def is_composite(self) -> bool:
        return bool(self.combines)


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

    @property
    def has_composites(self) -> bool:
        return any(dimension.is_composite for dimension in self.dimensions)

    @property
    def has_bands(self) -> bool:
        return any(dimension.read_as is not None for dimension in self.dimensions)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def band_of_mean(
    definition: scoring.Definition, scored: scoring.Scored, mean: Fraction
) -> tuple[str, Fraction]:
    """The band a team's mean falls in, and the score it reads as for banding.

    The mean is rounded half up to the nearest score one person could get, then banded as
    that score: on bands 6 to 7 and 8 to 9 of a summed dimension, 7.67 and 7.5 read as 8
    (the upper band) and 7.49 as 7. For a dimension scored as a mean, the scores one
    person could get are the possible means (quarters for four questions, and so on).
    """
    read_as, found = scoring.team_band(definition, scored, mean)
    return (found[1].label if found else ""), read_as


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

    Queries: members, submitted members, and (once enough have submitted) the counted
    responses' stored scores and the answer counts, plus one for the words if the
    instrument is no longer live. None of them grows with the number of members or
    attempts; the scores query returns one row per member and dimension, so that each
    mean is worked out exactly (see `band_of_mean`).
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

    # One row per counted response and dimension: exact means need each score (stored to
    # four places) turned back into the exact score it stands for.
    stored: dict[str, list[Decimal]] = defaultdict(list)
    for key, value in DimensionScore.objects.filter(response__in=responses).values_list(
        "dimension_key", "scaled_score"
    ):
        stored[key].append(value)
    dimensions = []
    for scored in definition.scored:
        values = stored.get(scored.key, [])
        if len(values) < threshold:
            continue  # too few answered this version of the dimension to show it
        try:
            possible = scoring.possible_scores(definition, scored)
        except scoring.TooManyScores:
            possible = []
        exact = [scoring.exact_score(possible, value) for value in values]
        mean = sum(exact, Fraction(0)) / len(exact)
        minimum, maximum = scoring.range_of(definition, scored)
        band_label, read_as = band_of_mean(definition, scored, mean)
        text = questionnaire.dimension(scored.key)
        dimensions.append(
            DimensionSummary(
                dimension_key=scored.key,
                name=scored.name,
                scaled_score=_decimal(mean),
                lowest=min(values),
                highest=max(values),
                minimum=_decimal(minimum),
                maximum=_decimal(maximum),
                band_label=band_label,
                count=len(values),
                read_as=_decimal(read_as) if scored.bands else None,
                combines=text.combines if text else "",
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
