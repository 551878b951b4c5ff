"""A self-assessment result as a PDF for the learner to keep.

`render_pdf` is a pure function of the `ResultDetail` it is given (see `selectors`), so it
shows only what the results page shows: the scores stored at submission and the band
feedback of the revision the learner answered.
"""

from __future__ import annotations

import datetime
import html
import re
from zoneinfo import ZoneInfo

from django.utils import dateformat, timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
)

from core import pdf as toolkit
from core.pdf import NHS_BLUE, PALE, RULE, SECONDARY, TEXT, markup

from .charts import percent, score_text
from .selectors import ResultDetail

LONDON = ZoneInfo("Europe/London")
BAR_WIDTH = 34 * mm
BAR_HEIGHT = 4 * mm

_BREAKS = re.compile(r"<\s*(br\s*/?|/p|/li|/h[1-6]|/ul|/ol)\s*>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<\s*li[^>]*>", re.IGNORECASE)


def plain_text(rich_text: str) -> str:
    """Editor's rich text as plain text: paragraphs on their own lines, bullets as dashes."""
    marked = _LIST_ITEM.sub("- ", _BREAKS.sub("\n", str(rich_text)))
    lines = [" ".join(html.unescape(strip_tags(line)).split()) for line in marked.split("\n")]
    return "\n".join(line for line in lines if line)


def submitted_on(value: datetime.datetime) -> str:
    """'3 March 2027', the day in the UK."""
    return dateformat.format(timezone.localtime(value, LONDON), "j F Y")


def download_filename(detail: ResultDetail) -> str:
    """'strengths-self-profile-2027-03-03.pdf'."""
    day = timezone.localtime(detail.response.submitted_at, LONDON).date()
    name = slugify(detail.instrument.title) or "self-assessment"
    return f"{name}-{day.isoformat()}.pdf"


def _styles() -> dict[str, ParagraphStyle]:
    """The toolkit's styles, with the scores table's cells and the dimension headings."""
    styles = toolkit.styles()
    body = styles["body"]
    return {
        **styles,
        "dimension": styles["subheading"],
        "meta": styles["small"],
        "cell": ParagraphStyle("ResultCell", parent=body, fontSize=10, leading=13, spaceAfter=0),
        "head": ParagraphStyle(
            "ResultHead",
            parent=body,
            fontName=toolkit.FONT_BOLD,
            fontSize=10,
            leading=13,
            spaceAfter=0,
        ),
    }


def bar(score) -> Drawing:
    """A horizontal bar: the score's place between its lowest and highest possible."""
    drawing = toolkit.drawing(BAR_WIDTH, BAR_HEIGHT)
    drawing.add(
        Rect(
            0,
            0,
            BAR_WIDTH,
            BAR_HEIGHT,
            fillColor=colors.white,
            strokeColor=SECONDARY,
            strokeWidth=0.75,
        )
    )
    filled = BAR_WIDTH * percent(score.scaled_score, score.minimum, score.maximum) / 100
    if filled > 0:
        drawing.add(Rect(0, 0, filled, BAR_HEIGHT, fillColor=NHS_BLUE, strokeColor=None))
    return drawing


def _scores_table(detail: ResultDetail, styles: dict[str, ParagraphStyle]) -> Table:
    head = [
        Paragraph(markup(text), styles["head"])
        for text in (_("Dimension"), _("Score"), _("Range"), _("Band"), _("Chart"))
    ]
    rows: list[list] = [head]
    for row in detail.rows:
        score = row.score
        rows.append(
            [
                Paragraph(markup(score.name), styles["cell"]),
                Paragraph(
                    markup(
                        _("%(score)s out of %(maximum)s")
                        % {
                            "score": score_text(score.scaled_score),
                            "maximum": score_text(score.maximum),
                        }
                    ),
                    styles["cell"],
                ),
                Paragraph(
                    markup(
                        _("%(low)s to %(high)s")
                        % {"low": score_text(score.minimum), "high": score_text(score.maximum)}
                    ),
                    styles["cell"],
                ),
                Paragraph(markup(score.band_label or "–"), styles["cell"]),
                bar(score),
            ]
        )
    return toolkit.table(
        rows,
        colWidths=[44 * mm, 28 * mm, 24 * mm, 34 * mm, BAR_WIDTH + 6 * mm],
        repeatRows=1,
        style=[
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LINEBELOW", (0, 0), (-1, 0), 1, TEXT),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), PALE),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )


def render_pdf(detail: ResultDetail, *, learner_name: str, compress: bool = True) -> bytes:
    """One result as an A4 PDF. `compress=False` leaves the text readable in the bytes."""
    styles = _styles()
    title = detail.instrument.title
    response = detail.response
    story: list = [
        Paragraph(markup(title), styles["title"]),
        Paragraph(markup(learner_name), styles["meta"]),
    ]
    if response.submitted_at is not None:
        story.append(
            Paragraph(
                markup(_("Submitted on %(date)s") % {"date": submitted_on(response.submitted_at)}),
                styles["meta"],
            )
        )
    if response.team is not None:
        story.append(
            Paragraph(
                markup(_("Answered as a member of %(team)s") % {"team": response.team.name}),
                styles["meta"],
            )
        )
    if detail.top_five:
        story.append(Paragraph(markup(_("Your top five")), styles["heading"]))
        story.append(
            ListFlowable(
                [
                    ListItem(Paragraph(markup(row.score.name), styles["body"]))
                    for row in detail.top_five
                ],
                bulletType="1",
                bulletFontName=toolkit.FONT,
                leftIndent=6 * mm,
            )
        )
    story += [
        Paragraph(markup(_("Your scores")), styles["heading"]),
        _scores_table(detail, styles),
        Spacer(0, 4 * mm),
    ]
    feedback_rows = [row for row in detail.rows if plain_text(row.feedback) or row.suggested_module]
    if feedback_rows:
        story.append(Paragraph(markup(_("What your scores suggest")), styles["heading"]))
    for row in feedback_rows:
        parts = [Paragraph(markup(row.score.name), styles["dimension"])]
        if row.score.band_label:
            parts.append(Paragraph(markup(row.score.band_label), styles["meta"]))
        feedback = plain_text(row.feedback)
        if feedback:
            parts.append(Paragraph(markup(feedback), styles["body"]))
        if row.suggested_module is not None:
            parts.append(
                Paragraph(
                    markup(
                        _("Suggested module: %(title)s") % {"title": row.suggested_module.title}
                    ),
                    styles["body"],
                )
            )
        story.append(KeepTogether(parts))

    return toolkit.build(
        story,
        title=title,
        author=learner_name,
        subject=_("Self-assessment result"),
        compress=compress,
    )
