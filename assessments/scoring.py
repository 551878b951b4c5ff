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
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
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
class Item:
    key: str
    dimension_key: str
    reverse: bool = False


@dataclass(frozen=True)
class Definition:
    scale: tuple[ScaleOption, ...]
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]

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

    def ranked(self, limit: int | None = None) -> tuple[DimensionResult, ...]:
        """Dimensions from highest to lowest proportion; ties keep the editor's order."""
        order = sorted(self.dimensions, key=lambda result: -result.proportion)
        return tuple(order[:limit] if limit is not None else order)


@dataclass(frozen=True)
class Problem:
    """Something that makes a definition unscorable, and which part of it to fix."""

    part: Literal["scale", "dimensions", "items"]
    message: str


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


def band_for(dimension: Dimension, score: Fraction) -> tuple[int, Band] | None:
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
    return Result(dimensions=tuple(results))


# Validation ------------------------------------------------------------------------------


def possible_scores(definition: Definition, dimension: Dimension) -> list[Fraction]:
    """Every score the dimension can produce, in order (for checking bands)."""
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


def _band_problems(definition: Definition, dimension: Dimension) -> list[Problem]:
    name = dimension.name
    problems = []
    for band in dimension.bands:
        if Fraction(band.lower) > Fraction(band.upper):
            problems.append(
                Problem(
                    "dimensions",
                    f"{name}: the band “{band.label}” starts at {format_number(band.lower)}, "
                    f"above where it ends ({format_number(band.upper)}).",
                )
            )
    if problems:
        return problems
    ordered = sorted(dimension.bands, key=lambda band: Fraction(band.lower))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if Fraction(after.lower) <= Fraction(before.upper):
            problems.append(
                Problem(
                    "dimensions",
                    f"{name}: the bands “{before.label}” "
                    f"({format_number(before.lower)} to {format_number(before.upper)}) and "
                    f"“{after.label}” ({format_number(after.lower)} to "
                    f"{format_number(after.upper)}) overlap.",
                )
            )
    if problems:
        return problems
    scores = possible_scores(definition, dimension)
    low, high = score_range(definition, dimension)
    for band in ordered:
        if not any(band.contains(value) for value in scores):
            problems.append(
                Problem(
                    "dimensions",
                    f"{name}: no possible score falls in the band “{band.label}” "
                    f"({format_number(band.lower)} to {format_number(band.upper)}); "
                    f"scores run from {format_number(low)} to {format_number(high)}.",
                )
            )
    uncovered = [value for value in scores if band_for(dimension, value) is None]
    if uncovered:
        shown = ", ".join(format_number(value) for value in uncovered[:3])
        more = " and others" if len(uncovered) > 3 else ""
        problems.append(
            Problem(
                "dimensions",
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


def problems(definition: Definition) -> list[Problem]:
    """Everything that stops `definition` being scored; empty when it is valid."""
    found = _scale_problems(definition)
    if found:
        # Ranges and bands depend on the scale; report the scale first.
        return found + _item_problems(definition)
    return _item_problems(definition) + _dimension_problems(definition)


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
