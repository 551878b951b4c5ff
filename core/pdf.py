"""One PDF toolkit: the bundled font, one A4 page set-up, the house styles and a builder.

Every PDF the site draws (a self-assessment result, a certificate, the learning journal)
is built from these pieces, so they all print the same letters the same way:

- the font is DejaVu Sans (regular, bold and oblique), bundled in `core/fonts/` with its
  licence, so a fresh clone prints Welsh (ŵ, ŷ), the rest of Latin Extended-A and more
  without any system package. ReportLab's built-in (standard 14) fonts, which cannot
  draw ŵ, are never used: not for text, not for bullets, not as the canvas's font;
- `styles()` gives the title, heading, subheading, body and small styles in that font;
  a document derives what else it needs from them (`ParagraphStyle(parent=...)`);
- `markup()` makes any text safe for ReportLab's paragraph markup;
- `table()` and `drawing()` are ReportLab's Table and Drawing set to the bundled font
  (both would otherwise set the built-in one, even when they print no text of their own);
- `build()` lays a story out on A4 (portrait or landscape) with the house margins and
  returns the PDF's bytes; it can number the pages ("Page 2 of 5", `page_of_total`).

The fonts are embedded as subsets (only the glyphs used), with a ToUnicode map, so the
text can be searched and copied out of the PDF.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
}

# NHS identity colours (https://service-manual.nhs.uk/design-system/styles/colour).
NHS_BLUE = colors.HexColor("#005eb8")
SECONDARY = colors.HexColor("#4c6272")
TEXT = colors.HexColor("#212b32")
PALE = colors.HexColor("#f0f4f5")
RULE = colors.HexColor("#d8dde0")

MARGIN = 20 * mm

# Control characters other than tab and newline have no glyph and upset ReportLab's
# paragraph parser; everything else is kept. A character the font lacks (an emoji, Chinese)
# is drawn as an empty box rather than failing.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

PageCallback = Callable[[Canvas, SimpleDocTemplate], None]


@functools.cache
def register_fonts() -> str:
    """Register the bundled fonts with ReportLab (once per process); the family's name.

    `<b>` and `<i>` in paragraph markup pick the bold and oblique faces; bold italic,
    which no document uses, falls back to bold.
    """
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / filename))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
    )
    return FONT


def markup(text: str) -> str:
    """Learner or editor text made safe for ReportLab's paragraph markup, lines kept."""
    return escape(_CONTROL.sub("", str(text))).replace("\n", "<br/>")


def styles(*, alignment: int = TA_LEFT) -> dict[str, ParagraphStyle]:
    """The house styles in the bundled font: title, heading, subheading, body and small."""
    register_fonts()
    body = ParagraphStyle(
        "Body",
        fontName=FONT,
        fontSize=11,
        leading=15,
        alignment=alignment,
        spaceAfter=6,
        textColor=TEXT,
        bulletFontName=FONT,
    )
    return {
        "title": ParagraphStyle(
            "Title", parent=body, fontName=FONT_BOLD, fontSize=22, leading=27, spaceAfter=6
        ),
        "heading": ParagraphStyle(
            "Heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=16,
            leading=20,
            spaceBefore=12,
            spaceAfter=6,
            textColor=NHS_BLUE,
        ),
        "subheading": ParagraphStyle(
            "Subheading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            spaceBefore=8,
            spaceAfter=2,
        ),
        "body": body,
        "small": ParagraphStyle("Small", parent=body, fontSize=10, leading=13, textColor=SECONDARY),
    }


def table(rows: Sequence[Sequence], *, style: Sequence[tuple] = (), **options) -> Table:
    """A Table whose cells use the bundled font; `style` holds further TableStyle commands."""
    register_fonts()
    made = Table(rows, **options)
    made.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT), *style]))
    return made


def drawing(width: float, height: float) -> Drawing:
    """A Drawing (for charts and bars) whose text state starts in the bundled font."""
    register_fonts()
    return Drawing(width, height, initialFontName=FONT)


def page_of_total(page: int, total: int) -> str:
    """The usual `page_label` for `build`: "Page 2 of 5"."""
    return _("Page %(page)s of %(total)s") % {"page": page, "total": total}


class _NumberedCanvas(Canvas):
    """Draws a page label ("Page n of m") on every page once the number of pages is known."""

    page_label: Callable[[int, int], str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_states: list[dict] = []

    def showPage(self):
        self._page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._page_states)
        width = self._pagesize[0]
        for state in self._page_states:
            self.__dict__.update(state)
            self.setFont(FONT, 9)
            self.setFillColor(SECONDARY)
            self.drawRightString(width - MARGIN, 12 * mm, self.page_label(self._pageNumber, total))
            super().showPage()
        super().save()


def build(
    story: Sequence[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    landscape_page: bool = False,
    margins: tuple[float, float, float, float] = (MARGIN, MARGIN, MARGIN, MARGIN),
    on_page: PageCallback | None = None,
    page_label: Callable[[int, int], str] | None = None,
    compress: bool = True,
) -> bytes:
    """Lay `story` out on A4 and return the PDF's bytes.

    `margins` are (top, right, bottom, left). `on_page` draws on every page's canvas (a
    border, say); `page_label(page, total)` is printed at the foot of every page.
    `compress=False` leaves the page content readable in the bytes, for tests.
    """
    register_fonts()
    top, right, bottom, left = margins
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4) if landscape_page else A4,
        topMargin=top,
        rightMargin=right,
        bottomMargin=bottom,
        leftMargin=left,
        title=title,
        author=author,
        subject=subject,
        lang="en-GB",
        initialFontName=FONT,
        pageCompression=1 if compress else 0,
    )
    options: dict = {}
    if on_page is not None:
        options["onFirstPage"] = options["onLaterPages"] = on_page
    if page_label is not None:
        options["canvasmaker"] = type(
            "NumberedCanvas", (_NumberedCanvas,), {"page_label": staticmethod(page_label)}
        )
    document.build(list(story), **options)
    return buffer.getvalue()
