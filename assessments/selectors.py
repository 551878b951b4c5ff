"""Reads for results pages, the results history and cohort leads, each a fixed number of queries.

Learner-facing reads start from `Response.objects.of(learner)`, so a learner only ever gets
their own responses. A past result is shown from the scores stored at submission and the
words of the revision it was answered on (`definitions.for_revision`), so publishing a new
revision of an instrument never changes what an old result says.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Page

from accounts.models import User

from . import charts, definitions
from .models import DimensionScore, Instrument, Response

Learner = User | AnonymousUser

TOP_FIVE = 5
MINUS = "\u2212"


# Ranking and change ---------------------------------------------------------------------


def proportion(score: DimensionScore) -> Fraction:
    """Where a stored score sits between its lowest and highest possible, from 0 to 1."""
    low, high = Fraction(score.minimum), Fraction(score.maximum)
    if high <= low:
        return Fraction(0)
    return (Fraction(score.scaled_score) - low) / (high - low)


def ranked(scores: Iterable[DimensionScore]) -> list[DimensionScore]:
    """Highest proportion of its range first; ties keep the editor's order (as scoring does).

    Dimensions only: a combined score restates its dimensions, so it is never ranked."""
    in_order = sorted(
        (score for score in scores if not score.is_composite), key=lambda score: score.position
    )
    return sorted(in_order, key=lambda score: -proportion(score))


@dataclass(frozen=True)
class Change:
    """How a dimension's score moved since the previous attempt, as the page shows it.

    Worked out from the scores as shown (to one decimal place), so the change always
    matches the two numbers beside it.
    """

    previous: DimensionScore
    amount: Decimal

    @property
    def text(self) -> str:
        """'+1.5', '−0.5' or 'no change'."""
        if not self.amount:
            return _("no change")
        sign = "+" if self.amount > 0 else MINUS
        return sign + charts.score_text(abs(self.amount))

    @property
    def words(self) -> str:
        """'up 1.5', 'down 0.5' or 'no change': the same change for people who hear it."""
        if not self.amount:
            return _("no change")
        template = _("up %(amount)s") if self.amount > 0 else _("down %(amount)s")
        return template % {"amount": charts.score_text(abs(self.amount))}

    @property
    def direction(self) -> str:
        if not self.amount:
            return "same"
        return "up" if self.amount > 0 else "down"


def change_between(previous: DimensionScore, current: DimensionScore) -> Change:
    shown_now = Decimal(charts.score_text(current.scaled_score))
    shown_before = Decimal(charts.score_text(previous.scaled_score))
    return Change(previous=previous, amount=shown_now - shown_before)


# One result ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One submitted attempt and its stored scores by dimension key."""

    response: Response
    scores: dict[str, DimensionScore]


@dataclass(frozen=True)
class DimensionRow:
    """One dimension of a result, with its words from the pinned revision."""

    score: DimensionScore
    description: str
    feedback: SafeString
    suggested_module: Page | None
    change: Change | None
    # This dimension's scores in every attempt that had it, oldest first.
    history: tuple[DimensionScore, ...]
    line: charts.Sparkline | None
    # For a combined score: what it combines, in words ("" for a dimension).
    combines: str = ""

    @property
    def history_text(self) -> str:
        return ", ".join(charts.score_text(score.scaled_score) for score in self.history)


@dataclass(frozen=True)
class ResultDetail:
    response: Response
    rows: tuple[DimensionRow, ...]
    top_five: tuple[DimensionRow, ...]
    previous: Response | None
    attempts: tuple[Attempt, ...]  # oldest first, this one included
    bars: list[charts.Bar]

    @property
    def instrument(self) -> Instrument:
        return self.response.instrument

    @property
    def has_bands(self) -> bool:
        return any(row.score.band_label for row in self.rows)

    @property
    def has_comparison(self) -> bool:
        return self.previous is not None

    @property
    def has_history(self) -> bool:
        return len(self.attempts) > 1

    @property
    def number(self) -> int:
        """Which attempt this is, counting from 1."""
        return next(
            index
            for index, attempt in enumerate(self.attempts, start=1)
            if attempt.response.pk == self.response.pk
        )


def shows_ranking(response: Response) -> bool:
    """Whether the revision the learner answered ranked its dimensions."""
    content = response.revision.content if response.revision is not None else {}
    if "show_ranking" in content:
        return bool(content["show_ranking"])
    return response.instrument.show_ranking


def submitted_result(learner: Learner, pk: int) -> Response | None:
    """The learner's own submitted response `pk`, with what its pages show (one query)."""
    return (
        Response.objects.of(learner)
        .submitted()
        .select_related("instrument", "revision", "team")
        .filter(pk=pk)
        .first()
    )


def draft_of(learner: Learner, pk: int) -> Response | None:
    """The learner's own attempt in progress `pk`, if it is one (one query)."""
    return Response.objects.of(learner).drafts().filter(pk=pk).first()


def _attempts(learner: Learner, response: Response) -> tuple[Attempt, ...]:
    """Every submitted attempt of the same instrument (and team, or no team), oldest first.

    One query: the scores, each with its response, whatever the number of attempts.
    """
    attempts = Response.objects.of(learner).submitted().filter(instrument=response.instrument_id)
    if response.team_id is None:
        attempts = attempts.filter(team__isnull=True)
    else:
        attempts = attempts.filter(team=response.team_id)
    scores = (
        DimensionScore.objects.filter(response__in=attempts)
        .select_related("response")
        .order_by("response__submitted_at", "response_id", "position")
    )
    grouped: dict[int, Attempt] = {}
    for score in scores:
        attempt = grouped.get(score.response_id)
        if attempt is None:
            attempt = grouped[score.response_id] = Attempt(response=score.response, scores={})
        attempt.scores[score.dimension_key] = score
    return tuple(grouped.values())


def _band_text(
    questionnaire: definitions.Questionnaire, score: DimensionScore
) -> definitions.BandText | None:
    text = questionnaire.dimension(score.dimension_key)
    if text is None or score.band_index is None or score.band_index >= len(text.bands):
        return None
    return text.bands[score.band_index]


def suggested_modules(ids: Iterable[int | None]) -> dict[int, Page]:
    """Live pages by id, for the modules that bands suggest (one query, none if no ids)."""
    wanted = {page_id for page_id in ids if page_id}
    if not wanted:
        return {}
    return {page.pk: page for page in Page.objects.live().filter(id__in=wanted)}


def result_detail(learner: Learner, response: Response) -> ResultDetail:
    """Everything a result page or its PDF shows: at most two queries after
    `submitted_result` (the scores of every attempt, and suggested modules if any).

    `response` is the learner's own submitted response, from `submitted_result`.
    """
    questionnaire = definitions.for_revision(response.revision, Instrument)
    attempts = _attempts(learner, response)
    this = next(attempt for attempt in attempts if attempt.response.pk == response.pk)
    position = attempts.index(this)
    previous = attempts[position - 1] if position > 0 else None
    scores = sorted(this.scores.values(), key=lambda score: score.position)
    bands = {score.dimension_key: _band_text(questionnaire, score) for score in scores}
    pages = suggested_modules(band.suggested_module_id for band in bands.values() if band)

    rows = []
    for score in scores:
        band = bands[score.dimension_key]
        text = questionnaire.dimension(score.dimension_key)
        earlier = previous.scores.get(score.dimension_key) if previous else None
        history = tuple(
            attempt.scores[score.dimension_key]
            for attempt in attempts
            if score.dimension_key in attempt.scores
        )
        rows.append(
            DimensionRow(
                score=score,
                description=text.description if text else "",
                feedback=band.feedback if band else mark_safe(""),  # noqa: S308
                suggested_module=(
                    pages.get(band.suggested_module_id)
                    if band and band.suggested_module_id
                    else None
                ),
                change=change_between(earlier, score) if earlier is not None else None,
                history=history,
                line=charts.sparkline(
                    [item.scaled_score for item in history],
                    score.minimum,
                    score.maximum,
                    label=score.name,
                ),
                combines=text.combines if text else "",
            )
        )
    by_key = {row.score.dimension_key: row for row in rows}
    top_five = (
        tuple(by_key[score.dimension_key] for score in ranked(scores)[:TOP_FIVE])
        if shows_ranking(response)
        else ()
    )
    return ResultDetail(
        response=response,
        rows=tuple(rows),
        top_five=top_five,
        previous=previous.response if previous else None,
        attempts=attempts,
        bars=charts.bars(scores, previous.scores if previous else None),
    )


# History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    response: Response
    scores: tuple[DimensionScore, ...]
    summary_label: str
    summary: str


@dataclass(frozen=True)
class HistoryGroup:
    instrument: Instrument
    entries: tuple[HistoryEntry, ...]  # newest first


@dataclass(frozen=True)
class History:
    groups: tuple[HistoryGroup, ...]
    drafts: tuple[Response, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups and not self.drafts


def _summary(response: Response, scores: Sequence[DimensionScore]) -> tuple[str, str]:
    """A label and a line for the history list: top strengths, or the highest bands."""
    order = ranked(scores)
    if not order:
        return "", ""
    if response.instrument.show_ranking:
        top = order[:3]
        label = _("Top strength") if len(top) == 1 else _("Top strengths")
        return label, ", ".join(score.name for score in top)
    top = order[:2]
    parts = [
        _("%(name)s: %(band)s") % {"name": score.name, "band": score.band_label}
        if score.band_label
        else _("%(name)s: %(score)s out of %(maximum)s")
        % {
            "name": score.name,
            "score": charts.score_text(score.scaled_score),
            "maximum": charts.score_text(score.maximum),
        }
        for score in top
    ]
    label = _("Highest score") if len(top) == 1 else _("Highest scores")
    return label, "; ".join(parts)


def history(learner: Learner) -> History:
    """All the learner's attempts: submitted ones grouped by instrument, newest first, and
    those in progress. Two queries, whatever the number of attempts."""
    responses = (
        Response.objects.of(learner)
        .select_related("instrument", "team")
        .prefetch_related(Prefetch("scores", queryset=DimensionScore.objects.order_by("position")))
        .order_by("-submitted_at", "-started_at", "-pk")
    )
    groups: dict[int, list[HistoryEntry]] = defaultdict(list)
    instruments: dict[int, Instrument] = {}
    drafts = []
    for response in responses:
        if not response.is_submitted:
            drafts.append(response)
            continue
        scores = tuple(response.scores.all())
        label, summary = _summary(response, scores)
        instruments.setdefault(response.instrument_id, response.instrument)
        groups[response.instrument_id].append(
            HistoryEntry(response=response, scores=scores, summary_label=label, summary=summary)
        )
    return History(
        groups=tuple(
            HistoryGroup(instrument=instruments[key], entries=tuple(entries))
            for key, entries in groups.items()
        ),
        drafts=tuple(drafts),
    )


# For cohort leads ----------------------------------------------------------------------


def shared_results(learner_ids: Iterable[int] | QuerySet) -> QuerySet[Response]:
    """Submitted responses of these learners that they chose to share with their cohort leads,
    each with its learner, instrument and team joined and its scores prefetched in position
    order: two queries when evaluated, whatever the number of learners or responses.

    Callers pass only learners whose results the lead may see (cohorts.permissions).
    """
    return (
        Response.objects.submitted()
        .filter(learner_id__in=learner_ids, shared_with_leads=True)
        .select_related("learner", "instrument", "team")
        .prefetch_related(Prefetch("scores", queryset=DimensionScore.objects.order_by("position")))
        .order_by("learner_id", "instrument__title", "-submitted_at", "-pk")
    )
