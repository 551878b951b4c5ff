"""Scoring self-assessments: pure functions over plain definitions.

An instrument definition (scale, dimensions, items) and a learner's answers go in; a result
with each dimension's raw score, scaled score and band comes out. Nothing here touches the
database or a request, so any instrument an editor can define is scored the same way in
tests, in the admin's validation and at submission.

Arithmetic is exact (`fractions.Fraction`): a mean of 3.9 never becomes 3.8999, so a score
on a band's edge always lands in the band an editor expects. Band bounds are inclusive, as
editors write them ("3-5, 6-7, 8-9"), and an instrument is valid only if every score its
items can produce falls in exactly one band. That is checked against the scores that can
actually occur, so "5.0-7.4" and "7.5-10" are valid when no possible score lies between
7.4 and 7.5, and refused, naming the score, when one does.

A combined score (`Composite`, such as a total) combines the scores its dimensions report,
after any rescaling, by their sum or their mean, and is banded like a dimension. It combines
dimensions only, never other combined scores.

A team's mean is banded by rounding it, half up, to the nearest score one person could get
(`round_to_possible`), so a mean between two integer bands never drops to the lower one
just because it is not a whole number.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Literal

Number = int | Decimal | Fraction
ScoringRule = Literal["sum", "mean"]

SUM: ScoringRule = "sum"
MEAN: ScoringRule = "mean"

# Bounds that keep the set of possible scores small enough to enumerate when validating.
MAX_SCALE_OPTIONS = 11
MIN_SCALE_VALUE = -100
MAX_SCALE_VALUE = 100
MAX_ITEMS = 200
# A combined score's possible scores are every sum of its dimensions' possible scores; past
# this many, its bands cannot be checked and the definition is refused.
MAX_POSSIBLE_SCORES = 20_000
# Stored scores keep four decimal places: a stored score is at most this far from the
# exact score it stands for.
STORED_PRECISION = Fraction(1, 20_000)


@dataclass(frozen=True)
class ScaleOption:
    label: str
    value: int


@dataclass(frozen=True)
class Band:
    lower: Number
    upper: Number
    label: str

    def contains(self, score: Fraction) -> bool:
        return Fraction(self.lower) <= score <= Fraction(self.upper)


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    rule: ScoringRule = SUM
    # Rescale the raw score linearly onto (low, high), such as (0, 10); None keeps it raw.
    scaled_range: tuple[Number, Number] | None = None
    bands: tuple[Band, ...] = ()


@dataclass(frozen=True)
class Composite:
    """A combined score over several dimensions (by key), such as a total."""

    key: str
    name: str
    parts: tuple[str, ...]
    # Sum or mean of the parts' reported (scaled) scores.
    rule: ScoringRule = SUM
    bands: tuple[Band, ...] = ()


Scored = Dimension | Composite


@dataclass(frozen=True)
class Item:
    key: str
    dimension_key: str
    reverse: bool = False


@dataclass(frozen=True)
class Definition:
    scale: tuple[ScaleOption, ...]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    composites: tuple[Composite, ...] = ()

    @property
    def values(self) -> frozenset[int]:
        return frozenset(option.value for option in self.scale)

    @property
    def lowest(self) -> int:
        return min(self.values)

    @property
    def highest(self) -> int:
        return max(self.values)

    def items_of(self, dimension: Dimension) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension_key == dimension.key)

    def parts_of(self, composite: Composite) -> tuple[Dimension, ...]:
        """The dimensions a combined score combines, in the composite's order."""
        by_key = {dimension.key: dimension for dimension in self.dimensions}
        return tuple(by_key[key] for key in composite.parts if key in by_key)

    @property
    def scored(self) -> tuple[Scored, ...]:
        """Every dimension, then every combined score: what a result reports, in order."""
        return self.dimensions + self.composites


@dataclass(frozen=True)
class DimensionResult:
    key: str
    name: str
    raw: Fraction
    scaled: Fraction
    minimum: Fraction
    maximum: Fraction
    band: Band | None
    band_index: int | None

    @property
    def proportion(self) -> Fraction:
        """Where the score sits between the lowest and highest possible, from 0 to 1."""
        return (self.scaled - self.minimum) / (self.maximum - self.minimum)


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionResult, ...]
    composites: tuple[DimensionResult, ...] = ()

    def ranked(self, limit: int | None = None) -> tuple[DimensionResult, ...]:
        """Dimensions from highest to lowest proportion; ties keep the editor's order.

        Combined scores are not ranked: they restate their dimensions."""
        order = sorted(self.dimensions, key=lambda result: -result.proportion)
        return tuple(order[:limit] if limit is not None else order)


@dataclass(frozen=True)
class Problem:
    """Something that makes a definition unscorable, and which part of it to fix."""

    part: Literal["scale", "dimensions", "items", "composites"]
    message: str
    # For the few problems a caller may already have said in its own words.
    code: str = ""


class ScoringError(ValueError):
    """Answers that cannot be scored against the definition."""

    def __init__(self, message: str, *, item_keys: Iterable[str] = ()):
        super().__init__(message)
        self.item_keys = tuple(item_keys)


# Scoring ---------------------------------------------------------------------------------


def keyed_value(definition: Definition, item: Item, value: int) -> int:
    """The value an answer contributes: mirrored on the scale for reverse-keyed items."""
    return definition.lowest + definition.highest - value if item.reverse else value


def raw_range(definition: Definition, dimension: Dimension) -> tuple[Fraction, Fraction]:
    count = len(definition.items_of(dimension))
    low, high = Fraction(definition.lowest), Fraction(definition.highest)
    if dimension.rule == MEAN:
        return low, high
    return low * count, high * count


def score_range(definition: Definition, dimension: Dimension) -> tuple[Fraction, Fraction]:
    """The lowest and highest score the dimension can report."""
    if dimension.scaled_range is not None:
        low, high = dimension.scaled_range
        return Fraction(low), Fraction(high)
    return raw_range(definition, dimension)


def scale_score(definition: Definition, dimension: Dimension, raw: Fraction) -> Fraction:
    if dimension.scaled_range is None:
        return raw
    raw_low, raw_high = raw_range(definition, dimension)
    low, high = score_range(definition, dimension)
    return low + (raw - raw_low) * (high - low) / (raw_high - raw_low)


def band_for(dimension: Scored, score: Fraction) -> tuple[int, Band] | None:
    for index, band in enumerate(dimension.bands):
        if band.contains(score):
            return index, band
    return None


def check_answers(definition: Definition, answers: Mapping[str, int]) -> None:
    """Raise ScoringError unless `answers` gives one scale value for every item, no more."""
    known = {item.key for item in definition.items}
    unknown = [key for key in answers if key not in known]
    if unknown:
        raise ScoringError(
            "Some answers are for questions not in this instrument.", item_keys=unknown
        )
    values = definition.values
    outside = [key for key, value in answers.items() if value not in values]
    if outside:
        raise ScoringError("Some answers are not on the answer scale.", item_keys=outside)
    missing = [item.key for item in definition.items if item.key not in answers]
    if missing:
        raise ScoringError("Some questions have no answer.", item_keys=missing)


def combine(rule: ScoringRule, values: Sequence[Fraction]) -> Fraction:
    """A combined score from its dimensions' scores: their sum, or their mean."""
    total = sum(values, Fraction(0))
    return total / len(values) if rule == MEAN else total


def composite_range(definition: Definition, composite: Composite) -> tuple[Fraction, Fraction]:
    """The lowest and highest score a combined score can report."""
    ranges = [score_range(definition, part) for part in definition.parts_of(composite)]
    return (
        combine(composite.rule, [low for low, _high in ranges]),
        combine(composite.rule, [high for _low, high in ranges]),
    )


def range_of(definition: Definition, scored: Scored) -> tuple[Fraction, Fraction]:
    """The lowest and highest score of a dimension or a combined score."""
    if isinstance(scored, Composite):
        return composite_range(definition, scored)
    return score_range(definition, scored)


def _banded(scored: Scored, value: Fraction, low: Fraction, high: Fraction) -> DimensionResult:
    found = band_for(scored, value)
    return DimensionResult(
        key=scored.key,
        name=scored.name,
        raw=value,
        scaled=value,
        minimum=low,
        maximum=high,
        band=found[1] if found else None,
        band_index=found[0] if found else None,
    )


def score(definition: Definition, answers: Mapping[str, int]) -> Result:
    """Score complete answers (item key to scale value) against a valid definition."""
    check_answers(definition, answers)
    results = []
    for dimension in definition.dimensions:
        items = definition.items_of(dimension)
        total = Fraction(sum(keyed_value(definition, item, answers[item.key]) for item in items))
        raw = total / len(items) if dimension.rule == MEAN else total
        scaled = scale_score(definition, dimension, raw)
        minimum, maximum = score_range(definition, dimension)
        found = band_for(dimension, scaled)
        results.append(
            DimensionResult(
                key=dimension.key,
                name=dimension.name,
                raw=raw,
                scaled=scaled,
                minimum=minimum,
                maximum=maximum,
                band=found[1] if found else None,
                band_index=found[0] if found else None,
            )
        )
    by_key = {result.key: result for result in results}
    composites = []
    for composite in definition.composites:
        value = combine(composite.rule, [by_key[key].scaled for key in composite.parts])
        low, high = composite_range(definition, composite)
        composites.append(_banded(composite, value, low, high))
    return Result(dimensions=tuple(results), composites=tuple(composites))


# Banding a team's mean -------------------------------------------------------------------


def round_to_possible(possible: Sequence[Fraction], value: Fraction) -> Fraction:
    """The score in `possible` (sorted, not empty) nearest to `value`; exactly halfway
    between two, the higher one (rounding half up). Outside the range, the nearest end."""
    index = bisect_left(possible, value)
    if index == len(possible):
        return possible[-1]
    if index == 0 or possible[index] == value:
        return possible[index]
    below, above = possible[index - 1], possible[index]
    return above if above - value <= value - below else below


def exact_score(possible: Sequence[Fraction], stored: Number) -> Fraction:
    """The exact score a stored one (kept to four decimal places) stands for: the possible
    score within rounding of it, or the stored value itself if none is (a score from
    another version of the instrument)."""
    value = Fraction(stored)
    if not possible:
        return value
    nearest = round_to_possible(possible, value)
    return nearest if abs(nearest - value) <= STORED_PRECISION else value


def team_band(
    definition: Definition, scored: Scored, mean: Fraction
) -> tuple[Fraction, tuple[int, Band] | None]:
    """The score a team's mean reads as, and its band.

    The mean is rounded half up to the nearest score one person could get, then banded
    as that person's score would be: 7.67 and 7.5 read as 8, 7.49 as 7.
    """
    try:
        possible = possible_scores(definition, scored)
    except TooManyScores:
        possible = []
    if not possible:
        return mean, band_for(scored, mean)
    rounded = round_to_possible(possible, mean)
    return rounded, band_for(scored, rounded)


# Validation ------------------------------------------------------------------------------


class TooManyScores(ValueError):
    """A combined score with more possible scores than can be checked."""


def possible_scores(definition: Definition, scored: Scored) -> list[Fraction]:
    """Every score the dimension or combined score can produce, in order.

    Worked out once per definition and dimension (definitions are immutable), since team
    reports band every mean against these. Raises TooManyScores past MAX_POSSIBLE_SCORES.
    """
    return list(_possible_scores(definition, scored))


@lru_cache(maxsize=32)
def _possible_scores(definition: Definition, scored: Scored) -> tuple[Fraction, ...]:
    if isinstance(scored, Composite):
        return tuple(_possible_composite_scores(definition, scored))
    return tuple(_possible_dimension_scores(definition, scored))


def _possible_composite_scores(definition: Definition, composite: Composite) -> list[Fraction]:
    """Every sum of one possible score per part (over the number of parts for a mean).

    The parts' scores are fractions (means, rescaled ranges). Adding them as fractions
    costs a greatest common divisor per addition, and a composite of five dimensions makes
    millions of additions, so they are added as whole numbers over one common denominator,
    and divided by it once at the end: the same set of scores, for five dimensions of 3 to
    7 questions (11,869 scores) in 0.03 s rather than 0.49 s.
    """
    part_scores = [_possible_scores(definition, part) for part in definition.parts_of(composite)]
    denominator = math.lcm(*(score.denominator for scores in part_scores for score in scores))
    totals = {0}
    for scores in part_scores:
        numerators = {score.numerator * (denominator // score.denominator) for score in scores}
        grown: set[int] = set()
        for total in totals:
            grown.update(total + value for value in numerators)
            if len(grown) > MAX_POSSIBLE_SCORES:
                raise TooManyScores(composite.name)
        totals = grown
    count = len(part_scores) if composite.rule == MEAN else 1
    return sorted(Fraction(total, denominator * count) for total in totals)


def _possible_dimension_scores(definition: Definition, dimension: Dimension) -> list[Fraction]:
    sums = {0}
    for item in definition.items_of(dimension):
        contributions = {keyed_value(definition, item, value) for value in definition.values}
        sums = {total + value for total in sums for value in contributions}
    count = len(definition.items_of(dimension))
    raws = {Fraction(total, count) if dimension.rule == MEAN else Fraction(total) for total in sums}
    return sorted(scale_score(definition, dimension, raw) for raw in raws)


def format_number(value: Number) -> str:
    """A score as people read it: whole numbers bare, others to at most two places."""
    fraction = Fraction(value)
    if fraction.denominator == 1:
        return str(fraction.numerator)
    rounded = round(float(fraction), 2)
    text = f"{rounded:.2f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == fraction else f"about {text}"


def _scale_problems(definition: Definition) -> list[Problem]:
    problems = []
    if len(definition.scale) < 2:
        problems.append(Problem("scale", "The answer scale needs at least two options."))
    if len(definition.scale) > MAX_SCALE_OPTIONS:
        problems.append(
            Problem("scale", f"The answer scale can have at most {MAX_SCALE_OPTIONS} options.")
        )
    values = [option.value for option in definition.scale]
    if len(set(values)) != len(values):
        problems.append(Problem("scale", "Each option on the answer scale needs its own value."))
    labels = [option.label.strip().casefold() for option in definition.scale]
    if len(set(labels)) != len(labels):
        problems.append(Problem("scale", "Each option on the answer scale needs its own label."))
    if any(not MIN_SCALE_VALUE <= value <= MAX_SCALE_VALUE for value in values):
        problems.append(
            Problem(
                "scale",
                f"Scale values must be between {MIN_SCALE_VALUE} and {MAX_SCALE_VALUE}.",
            )
        )
    return problems


def _item_problems(definition: Definition) -> list[Problem]:
    problems = []
    known = {dimension.key for dimension in definition.dimensions}
    for number, item in enumerate(definition.items, start=1):
        if not item.dimension_key:
            problems.append(Problem("items", f"Question {number} needs a dimension."))
        elif item.dimension_key not in known:
            problems.append(
                Problem("items", f"Question {number} names a dimension this instrument lacks.")
            )
    if len(definition.items) > MAX_ITEMS:
        problems.append(Problem("items", f"An instrument can have at most {MAX_ITEMS} questions."))
    return problems


def _band_problems(
    definition: Definition,
    scored: Scored,
    part: Literal["dimensions", "composites"] = "dimensions",
) -> list[Problem]:
    name = scored.name
    problems = []
    for band in scored.bands:
        if Fraction(band.lower) > Fraction(band.upper):
            problems.append(
                Problem(
                    part,
                    f"{name}: the band “{band.label}” starts at {format_number(band.lower)}, "
                    f"above where it ends ({format_number(band.upper)}).",
                )
            )
    if problems:
        return problems
    ordered = sorted(scored.bands, key=lambda band: Fraction(band.lower))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if Fraction(after.lower) <= Fraction(before.upper):
            problems.append(
                Problem(
                    part,
                    f"{name}: the bands “{before.label}” "
                    f"({format_number(before.lower)} to {format_number(before.upper)}) and "
                    f"“{after.label}” ({format_number(after.lower)} to "
                    f"{format_number(after.upper)}) overlap.",
                )
            )
    if problems:
        return problems
    try:
        scores = possible_scores(definition, scored)
    except TooManyScores:
        return [
            Problem(
                part,
                f"{name}: it can produce too many different scores to check its bands. "
                f"Combine fewer dimensions, or dimensions with the same number of questions.",
            )
        ]
    low, high = range_of(definition, scored)
    for band in ordered:
        if not any(band.contains(value) for value in scores):
            problems.append(
                Problem(
                    part,
                    f"{name}: no possible score falls in the band “{band.label}” "
                    f"({format_number(band.lower)} to {format_number(band.upper)}); "
                    f"scores run from {format_number(low)} to {format_number(high)}.",
                )
            )
    uncovered = [value for value in scores if band_for(scored, value) is None]
    if uncovered:
        shown = ", ".join(format_number(value) for value in uncovered[:3])
        more = " and others" if len(uncovered) > 3 else ""
        problems.append(
            Problem(
                part,
                f"{name}: a score of {shown}{more} falls in no band. Every score from "
                f"{format_number(low)} to {format_number(high)} needs a band.",
            )
        )
    return problems


def _dimension_problems(definition: Definition) -> list[Problem]:
    problems = []
    if not definition.dimensions:
        problems.append(Problem("dimensions", "Add at least one dimension."))
    names = [dimension.name.strip().casefold() for dimension in definition.dimensions]
    if len(set(names)) != len(names):
        problems.append(Problem("dimensions", "Each dimension needs its own name."))
    for dimension in definition.dimensions:
        if not definition.items_of(dimension):
            problems.append(
                Problem("dimensions", f"{dimension.name}: no question belongs to this dimension.")
            )
            continue
        if dimension.scaled_range is not None:
            low, high = dimension.scaled_range
            if Fraction(low) >= Fraction(high):
                problems.append(
                    Problem(
                        "dimensions",
                        f"{dimension.name}: the rescaled range must run from a lower number "
                        f"to a higher one.",
                    )
                )
                continue
        if dimension.bands:
            problems.extend(_band_problems(definition, dimension))
    return problems


def _composite_problems(definition: Definition, dimension_problems: list[Problem]) -> list:
    problems = []
    dimension_keys = {dimension.key for dimension in definition.dimensions}
    dimension_names = {dimension.name.strip().casefold() for dimension in definition.dimensions}
    composite_keys = {composite.key for composite in definition.composites}
    names = [composite.name.strip().casefold() for composite in definition.composites]
    if len(set(names)) != len(names):
        problems.append(Problem("composites", "Each combined score needs its own name."))
    for composite in definition.composites:
        name = composite.name
        found = []
        if composite.name.strip().casefold() in dimension_names:
            found.append(
                Problem("composites", f"{name}: a dimension already has this name. Choose another.")
            )
        if composite.rule not in (SUM, MEAN):
            found.append(Problem("composites", f"{name}: choose sum or mean."))
        if any(key in composite_keys for key in composite.parts):
            found.append(
                Problem(
                    "composites",
                    f"{name}: a combined score can combine dimensions only, "
                    f"not other combined scores.",
                )
            )
        elif any(key not in dimension_keys for key in composite.parts):
            found.append(
                Problem(
                    "composites",
                    f"{name}: it names a dimension this instrument lacks.",
                    code="unknown_part",
                )
            )
        if len(set(composite.parts)) != len(composite.parts):
            found.append(Problem("composites", f"{name}: it names the same dimension twice."))
        elif len(composite.parts) < 2:
            found.append(Problem("composites", f"{name}: combine at least two dimensions."))
        problems.extend(found)
        if not found and not dimension_problems and composite.bands:
            problems.extend(_band_problems(definition, composite, "composites"))
    return problems


def problems(definition: Definition) -> list[Problem]:
    """Everything that stops `definition` being scored; empty when it is valid."""
    found = _scale_problems(definition)
    if found:
        # Ranges and bands depend on the scale; report the scale first.
        return found + _item_problems(definition)
    dimension_problems = _dimension_problems(definition)
    return (
        _item_problems(definition)
        + dimension_problems
        + _composite_problems(definition, dimension_problems)
    )


# Statistics for editors and team reports -------------------------------------------------


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    spread: float | None  # sample standard deviation
    minimum: float | None
    maximum: float | None
    counts: dict[int, int] = field(default_factory=dict)


def summarise(values: Sequence[Number]) -> Summary:
    """Count, mean, sample standard deviation and range of some numbers."""
    numbers = [float(value) for value in values]
    if not numbers:
        return Summary(count=0, mean=None, spread=None, minimum=None, maximum=None)
    mean = math.fsum(numbers) / len(numbers)
    spread = (
        math.sqrt(math.fsum((value - mean) ** 2 for value in numbers) / (len(numbers) - 1))
        if len(numbers) > 1
        else None
    )
    return Summary(
        count=len(numbers), mean=mean, spread=spread, minimum=min(numbers), maximum=max(numbers)
    )


def _variance(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    return math.fsum((value - mean) ** 2 for value in values) / (len(values) - 1)


def cronbach_alpha(rows: Sequence[Sequence[Number]]) -> float | None:
    """Internal consistency of a set of items: one row per respondent, one column per item.

    Uses keyed values (reverse-keyed items already mirrored). None when it is undefined: fewer
    than two items or two respondents, or no variation in the total scores.
    """
    if len(rows) < 2 or not rows[0] or len(rows[0]) < 2:
        return None
    columns = [[float(row[index]) for row in rows] for index in range(len(rows[0]))]
    totals = [math.fsum(float(value) for value in row) for row in rows]
    total_variance = _variance(totals)
    if total_variance == 0:
        return None
    count = len(columns)
    item_variance = math.fsum(_variance(column) for column in columns)
    return count / (count - 1) * (1 - item_variance / total_variance)
