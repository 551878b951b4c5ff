"""Reads for editors: how an instrument's questions and dimensions behave across responses.

Everything here is anonymous and aggregate: counts, means, spreads, answer distributions and
Cronbach's alpha per dimension, and the same figures (without questions) for each combined
score, from submitted responses only. Questions and dimensions are
matched by their stable keys to the instrument's live version; answers to questions that the
live version no longer has are left out and counted, so the page can say so.

`instrument_statistics` costs a fixed number of queries whatever the number of responses:
one for the responses per revision, one for the stored dimension scores and one for the
answers (plus one for the revision when the instrument is not live). The arithmetic is in
`scoring.summarise` and `scoring.cronbach_alpha`.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from wagtail.models import Revision

from . import definitions, scoring
from .models import Answer, DimensionScore, Instrument, Response

# Cronbach's alpha is shown only when at least this many responses answered every question
# of the dimension: below that it swings too much from one response to the next to mean much.
ALPHA_MINIMUM_RESPONSES = 10


@dataclass(frozen=True)
class OptionCount:
    label: str
    value: int
    count: int


@dataclass(frozen=True)
class ItemStatistics:
    key: str
    number: int
    text: str
    reverse: bool
    # Of keyed values: reverse-keyed answers are mirrored on the scale, as scoring does.
    summary: scoring.Summary
    # Answers as given, one entry per option of the live scale, in the scale's order.
    distribution: tuple[OptionCount, ...]


@dataclass(frozen=True)
class DimensionStatistics:
    key: str
    name: str
    minimum: float
    maximum: float
    # Of the scaled scores stored at submission.
    summary: scoring.Summary
    items: tuple[ItemStatistics, ...]
    alpha: float | None
    # Responses that answered every question of this dimension in its live version.
    complete_responses: int
    # For a combined score (no questions of its own): what it combines, in words.
    combines: str = ""

    @property
    def is_composite(self) -> bool:
        return bool(self.combines)

    @property
    def alpha_applies(self) -> bool:
        """Alpha needs at least two questions."""
        return len(self.items) >= 2

    @property
    def alpha_shown(self) -> bool:
        return self.alpha_applies and self.complete_responses >= ALPHA_MINIMUM_RESPONSES

    @property
    def responses_needed_for_alpha(self) -> int:
        return max(0, ALPHA_MINIMUM_RESPONSES - self.complete_responses)


@dataclass(frozen=True)
class InstrumentStatistics:
    instrument: Instrument
    response_count: int
    # How many versions of the instrument the responses were answered on.
    revision_count: int
    dimensions: tuple[DimensionStatistics, ...]
    # Answers to questions the live version no longer has, or with a value no longer on
    # its scale: left out of the item figures.
    ignored_answers: int
    ignored_responses: int
    has_live_version: bool

    @property
    def alpha_minimum(self) -> int:
        return ALPHA_MINIMUM_RESPONSES

    @property
    def withheld(self) -> bool:
        """True while so few have answered that figures could point to one person."""
        return figures_withheld(self.response_count)

    @property
    def responses_needed(self) -> int:
        return max(0, settings.MIN_GROUP_SIZE - self.response_count)


def figures_withheld(response_count: int) -> bool:
    """Editors see figures and answers only from at least MIN_GROUP_SIZE responses."""
    return 0 < response_count < settings.MIN_GROUP_SIZE


def _reference_questionnaire(
    instrument: Instrument, revision_ids: list[int]
) -> tuple[definitions.Questionnaire, bool]:
    """The live version's questionnaire; failing that, the latest one answered, or the draft."""
    if instrument.live and instrument.live_revision_id:
        return definitions.for_revision(instrument.live_revision, Instrument), True
    if revision_ids:
        revision = Revision.objects.filter(pk__in=revision_ids).order_by("-created_at").first()
        if revision is not None:
            return definitions.for_revision(revision, Instrument), False
    return instrument.questionnaire(), False


def instrument_statistics(instrument: Instrument) -> InstrumentStatistics:
    """Figures for editors over `instrument`'s submitted responses.

    Pass the instrument with `live_revision` selected (`select_related`) to save a query.
    """
    submitted = Response.objects.submitted().filter(instrument=instrument)
    per_revision = dict(
        submitted.order_by()
        .values_list("revision_id")
        .annotate(count=Count("pk"))
        .values_list("revision_id", "count")
    )
    response_count = sum(per_revision.values())
    if figures_withheld(response_count):
        return InstrumentStatistics(
            instrument=instrument,
            response_count=response_count,
            revision_count=len(per_revision),
            dimensions=(),
            ignored_answers=0,
            ignored_responses=0,
            has_live_version=bool(instrument.live),
        )
    questionnaire, has_live_version = _reference_questionnaire(
        instrument, [pk for pk in per_revision if pk is not None]
    )
    definition = questionnaire.definition

    scores: dict[str, list] = defaultdict(list)
    answers: list[tuple[int, str, int]] = []
    if response_count:
        for key, score in DimensionScore.objects.filter(
            response__in=submitted.order_by().values("pk")
        ).values_list("dimension_key", "scaled_score"):
            scores[key].append(score)
        answers = list(
            Answer.objects.filter(response__in=submitted.order_by().values("pk")).values_list(
                "response_id", "item_key", "value"
            )
        )

    items = {item.key: item for item in definition.items}
    values = definition.values
    # response -> item key -> keyed value; item key -> Counter of values as given.
    keyed: dict[int, dict[str, int]] = defaultdict(dict)
    given: dict[str, Counter] = defaultdict(Counter)
    ignored_answers = 0
    ignored_responses = set()
    for response_id, key, value in answers:
        item = items.get(key)
        if item is None or value not in values:
            ignored_answers += 1
            ignored_responses.add(response_id)
            continue
        keyed[response_id][key] = scoring.keyed_value(definition, item, value)
        given[key][value] += 1

    by_item: dict[str, list[int]] = defaultdict(list)
    for row in keyed.values():
        for key, value in row.items():
            by_item[key].append(value)

    questions = {question.key: question for question in questionnaire.questions}
    dimensions = []
    for dimension in definition.dimensions:
        dimension_items = definition.items_of(dimension)
        item_statistics = tuple(
            ItemStatistics(
                key=item.key,
                number=questions[item.key].number,
                text=questions[item.key].text,
                reverse=item.reverse,
                summary=scoring.summarise(by_item[item.key]),
                distribution=tuple(
                    OptionCount(
                        label=option.label, value=option.value, count=given[item.key][option.value]
                    )
                    for option in definition.scale
                ),
            )
            for item in dimension_items
        )
        keys = [item.key for item in dimension_items]
        rows = [
            [row[key] for key in keys] for row in keyed.values() if all(key in row for key in keys)
        ]
        alpha = (
            scoring.cronbach_alpha(rows)
            if len(keys) >= 2 and len(rows) >= ALPHA_MINIMUM_RESPONSES
            else None
        )
        low, high = scoring.score_range(definition, dimension)
        dimensions.append(
            DimensionStatistics(
                key=dimension.key,
                name=dimension.name,
                minimum=float(low),
                maximum=float(high),
                summary=scoring.summarise(scores.get(dimension.key, [])),
                items=item_statistics,
                alpha=alpha,
                complete_responses=len(rows),
            )
        )
    for composite in definition.composites:
        low, high = scoring.composite_range(definition, composite)
        text = questionnaire.dimension(composite.key)
        dimensions.append(
            DimensionStatistics(
                key=composite.key,
                name=composite.name,
                minimum=float(low),
                maximum=float(high),
                summary=scoring.summarise(scores.get(composite.key, [])),
                items=(),
                alpha=None,
                complete_responses=0,
                combines=text.combines if text else composite.name,
            )
        )
    return InstrumentStatistics(
        instrument=instrument,
        response_count=response_count,
        revision_count=len([pk for pk in per_revision if pk is not None]),
        dimensions=tuple(dimensions),
        ignored_answers=ignored_answers,
        ignored_responses=len(ignored_responses),
        has_live_version=has_live_version,
    )


# Anonymous item-level export -------------------------------------------------------------

EXPORT_HEADINGS = (
    "respondent",
    "revision",
    "question_number",
    "question_id",
    "dimension",
    "question",
    "reverse_keyed",
    "answer_label",
    "answer_value",
    "scored_value",
)


def export_rows(instrument: Instrument, *, order_key=None):
    """Rows for the anonymous CSV: one per answer of each submitted response.

    Respondents are numbered 1 to N in a random order (`order_key`, a function of the
    response id, replaces the randomness in tests), so that neither the numbers nor the
    order of the rows reveal who answered first. Each answer is described by the version
    of the instrument it was answered on. Nothing about the learner is read: not their id,
    name, email, organisation or team, nor when they answered.

    Fixed queries: the submitted responses, their revisions and their answers.
    """
    responses = list(
        Response.objects.submitted()
        .filter(instrument=instrument)
        .order_by()
        .values_list("pk", "revision_id")
    )
    if order_key is None:
        shuffle = {pk: secrets.randbits(64) for pk, _revision in responses}
        order_key = shuffle.__getitem__
    if figures_withheld(len(responses)):
        return
    responses.sort(key=lambda row: order_key(row[0]))
    revisions = Revision.objects.in_bulk({revision for _pk, revision in responses})
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for response_id, key, value in Answer.objects.filter(
        response__instrument=instrument, response__status=Response.Status.SUBMITTED
    ).values_list("response_id", "item_key", "value"):
        answers[response_id][key] = value

    for number, (response_id, revision_id) in enumerate(responses, start=1):
        questionnaire = definitions.for_revision(revisions[revision_id], Instrument)
        definition = questionnaire.definition
        items = {item.key: item for item in definition.items}
        labels = {option.value: option.label for option in definition.scale}
        given = answers.get(response_id, {})
        for question in questionnaire.questions:
            if question.key not in given:
                continue
            value = given[question.key]
            dimension = questionnaire.dimension(question.dimension_key)
            item = items[question.key]
            yield (
                number,
                revision_id,
                question.number,
                question.key,
                dimension.name if dimension else "",
                question.text,
                "yes" if item.reverse else "no",
                labels.get(value, ""),
                value,
                scoring.keyed_value(definition, item, value),
            )
