"""Geometry for the cohort dashboard's charts, as plain data for the templates.

Bars are drawn in percentages so that they reflow at any width without shrinking any text;
labels and numbers stay in HTML beside them. Every chart has a text alternative and the
page puts a data table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Fills close to the NHS.UK tag colours, each also named in text beside the chart.
COMPLETED = "#007f3b"
IN_PROGRESS = "#005eb8"
NOT_STARTED = "#768692"


def share(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, to two places (0 when there is no whole)."""
    if whole <= 0:
        return 0.0
    return round(max(0.0, min(100.0, part * 100 / whole)), 2)


def percent_text(part: int, whole: int) -> str:
    """'67%': a whole-number percentage as people read it."""
    return _("%(percent)s%%") % {"percent": round(share(part, whole))}


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: `percent` of the track, with what it says in words."""

    label: str
    percent: float
    value_text: str
    description: str


def completion_bar(label: str, completed: int, members: int) -> Bar:
    value = _("%(completed)s of %(members)s (%(percent)s)") % {
        "completed": completed,
        "members": members,
        "percent": percent_text(completed, members),
    }
    return Bar(
        label=label,
        percent=share(completed, members),
        value_text=value,
        description=_("%(label)s: %(value)s completed every module")
        % {"label": label, "value": value},
    )


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class StackedBar:
    """One bar split into parts that add up to the whole, left to right."""

    label: str
    segments: tuple[Segment, ...]
    description: str


def stacked_bar(label: str, parts: Sequence[tuple[str, int, str]]) -> StackedBar:
    """`parts` are (label, count, colour) in drawing order."""
    total = sum(count for _label, count, _colour in parts)
    segments = []
    x = 0.0
    for part_label, count, colour in parts:
        width = share(count, total)
        segments.append(Segment(label=part_label, count=count, x=x, width=width, colour=colour))
        x = round(x + width, 2)
    words = ", ".join(
        _("%(count)s %(label)s") % {"count": count, "label": part_label.lower()}
        for part_label, count, _colour in parts
    )
    return StackedBar(
        label=label,
        segments=tuple(segments),
        description=_("%(label)s: %(parts)s") % {"label": label, "parts": words},
    )


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class ColumnChart:
    """Columns in a WIDTH by HEIGHT box (the SVG stretches it to the page's width)."""

    columns: tuple[Column, ...]
    maximum: int
    description: str
    first_label: str
    last_label: str

    WIDTH = 120
    HEIGHT = 40


def week_columns(weeks: Sequence[tuple], *, title: str) -> ColumnChart | None:
    """One column per (week_start date, count), oldest first; None when there are no weeks."""
    if not weeks:
        return None
    maximum = max(count for _week, count in weeks)
    slot = ColumnChart.WIDTH / len(weeks)
    gap = slot * 0.2
    columns = []
    for index, (_week, count) in enumerate(weeks):
        height = round(ColumnChart.HEIGHT * count / maximum, 2) if maximum else 0.0
        columns.append(
            Column(
                x=round(index * slot + gap / 2, 2),
                y=round(ColumnChart.HEIGHT - height, 2),
                width=round(slot - gap, 2),
                height=height,
            )
        )
    values = "; ".join(
        _("week of %(week)s: %(count)s") % {"week": date_format(week, "j M"), "count": count}
        for week, count in weeks
    )
    return ColumnChart(
        columns=tuple(columns),
        maximum=maximum,
        description=f"{title}. {values}.",
        first_label=date_format(weeks[0][0], "j M Y"),
        last_label=date_format(weeks[-1][0], "j M Y"),
    )
