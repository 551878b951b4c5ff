"""Geometry for the results charts, as plain data for the templates.

Each bar is its own small SVG with a text alternative, drawn in percentages so that it
reflows at any width without shrinking text; pages put a data table beside every chart.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

ONE_PLACE = Decimal("0.1")


def score_text(value) -> str:
    """A score as shown to people: one decimal place, whole numbers bare (7, 6.7)."""
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text[:-2] if text.endswith(".0") else text


def percent(value, minimum, maximum) -> float:
    """Where `value` sits from `minimum` (0) to `maximum` (100)."""
    low, high = float(minimum), float(maximum)
    if high <= low:
        return 0.0
    return round(max(0.0, min(100.0, (float(value) - low) * 100 / (high - low))), 2)


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    maximum_text: str
    percent: float
    band_label: str
    previous_percent: float | None = None
    previous_text: str = ""

    @property
    def description(self) -> str:
        text = _("%(label)s: %(value)s out of %(maximum)s") % {
            "label": self.label,
            "value": self.value_text,
            "maximum": self.maximum_text,
        }
        if self.band_label:
            text += f" ({self.band_label})"
        if self.previous_percent is not None:
            text += ". " + _("Last time: %(previous)s") % {"previous": self.previous_text}
        return text


def bars(scores: Iterable, previous: Mapping[str, Any] | None = None) -> list[Bar]:
    """One bar per score; `scores` have name, scaled_score, minimum, maximum, band_label and
    dimension_key, and `previous` maps dimension keys to an earlier attempt's scores."""
    previous = previous or {}
    result = []
    for score in scores:
        earlier = previous.get(score.dimension_key)
        result.append(
            Bar(
                label=score.name,
                value_text=score_text(score.scaled_score),
                maximum_text=score_text(score.maximum),
                percent=percent(score.scaled_score, score.minimum, score.maximum),
                band_label=score.band_label,
                previous_percent=(
                    percent(earlier.scaled_score, score.minimum, score.maximum)
                    if earlier is not None
                    else None
                ),
                previous_text=score_text(earlier.scaled_score) if earlier is not None else "",
            )
        )
    return result


@dataclass(frozen=True)
class Sparkline:
    """A small line over time, drawn in a 100 by 30 box."""

    points: str
    dots: tuple[tuple[float, float], ...]
    description: str


def sparkline(values: Sequence, minimum, maximum, *, label: str) -> Sparkline | None:
    """A line through `values` (oldest first); None for fewer than two."""
    if len(values) < 2:
        return None
    step = 100 / (len(values) - 1)
    dots = tuple(
        (round(index * step, 2), round(30 - percent(value, minimum, maximum) * 0.26 - 2, 2))
        for index, value in enumerate(values)
    )
    return Sparkline(
        points=" ".join(f"{x},{y}" for x, y in dots),
        dots=dots,
        description=_("%(label)s over %(count)s attempts: %(values)s")
        % {
            "label": label,
            "count": len(values),
            "values": ", ".join(score_text(value) for value in values),
        },
    )
