"""Printable worksheets for the facilitator guides, drawn with the PDF toolkit (`core.pdf`).

Four worksheets, each a function that returns a PDF's bytes:

- a stakeholder and network map (a ring diagram and a table to fill in);
- the collaborative model's step checklists, read from the shipped module that teaches the
  model (`modules/demo_content`, working collaboratively), so the printout and the lesson
  always list the same items;
- a learning-cycle log: Plan, Act, Observe and Reflect over several meetings;
- the partnership health check for group use, read from the partnership instrument's
  definition: the live instrument if the site has one, or the shipped definition.

None of them holds anything about a person, so they are drawn when asked for. Who may
print them is decided in `guide_access.py`; `guide_views.worksheet` serves them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics.shapes import Circle, String
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from core import pdf

AUTHOR = "Facilitator guides"
# The shipped module that teaches the step-by-step collaborative model, and the
# partnership instrument, by slug.
COLLABORATION_MODULE = "a-step-by-step-model-for-collaboration"
PARTNERSHIP_INSTRUMENT = "partnership-health-check"
CYCLE_MEETINGS = 6
MAP_ROWS = 9
BOX = "\u2610"  # ☐, drawn by the bundled font


@dataclass(frozen=True)
class Worksheet:
    key: str  # the last part of its address
    title: str
    description: str
    build: Callable[..., bytes]

    @property
    def filename(self) -> str:
        return f"{self.key}.pdf"


# Drawing helpers ----------------------------------------------------------------------


def _styles() -> dict:
    styles = pdf.styles()
    styles["cell"] = ParagraphStyle("Cell", parent=styles["body"], fontSize=10, leading=12.5)
    return styles


def _p(text: str, style) -> Paragraph:
    return Paragraph(pdf.markup(text), style)


def _header(title: str, lines: list[str]) -> list:
    styles = _styles()
    story: list = [_p(title, styles["title"])]
    story += [_p(line, styles["body"]) for line in lines]
    return story


def _grid(rows, *, widths, header_rows: int = 1, row_heights=None):
    return pdf.table(
        rows,
        colWidths=widths,
        rowHeights=row_heights,
        repeatRows=header_rows,
        style=[
            ("GRID", (0, 0), (-1, -1), 0.5, pdf.RULE),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), pdf.PALE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTSIZE", (0, 0), (-1, -1), 10),
        ],
    )


def _page_label(page: int, total: int) -> str:
    return pdf.page_of_total(page, total)


def _build(story: list, *, title: str, subject: str, landscape: bool, compress: bool) -> bytes:
    return pdf.build(
        story,
        title=title,
        author=AUTHOR,
        subject=subject,
        landscape_page=landscape,
        margins=(15 * mm, 15 * mm, 20 * mm, 15 * mm),
        page_label=_page_label,
        compress=compress,
    )


# Stakeholder and network map ----------------------------------------------------------

RINGS = (
    (gettext_lazy("At the centre: the issue, and the people who live with it"), 14),
    (gettext_lazy("Inner ring: people and groups affected every day"), 30),
    (gettext_lazy("Middle ring: people and groups who take part in the work"), 46),
    (gettext_lazy("Outer ring: people who can help or block from further away"), 62),
)
MAP_QUESTIONS = (
    gettext_lazy("Whose voice is missing from the map, and how could you reach them?"),
    gettext_lazy("Who are the natural connectors: the people everyone seems to know and trust?"),
    gettext_lazy("Where are the links strong, where are they weak, and where is there none?"),
    gettext_lazy("Whose support or permission does the work need, and who holds the budget?"),
)


def stakeholder_map_pdf(*, compress: bool = True) -> bytes:
    styles = _styles()
    title = _("Stakeholder and network map")
    story = _header(
        title,
        [
            _(
                "Write the issue in the centre. Add people, teams, organisations and "
                "community groups in the ring that shows how close they are to it. Draw "
                "lines between those who already talk to each other: a thick line for a "
                "strong link, a dashed line for a weak one."
            )
        ],
    )
    size = 130 * mm
    drawing = pdf.drawing(265 * mm, size)
    centre_x, centre_y = 66 * mm, size / 2
    for _label, radius in reversed(RINGS):
        drawing.add(
            Circle(
                centre_x,
                centre_y,
                radius * mm,
                strokeColor=pdf.NHS_BLUE,
                strokeWidth=1,
                fillColor=None,
            )
        )
    key_y = size - 25 * mm
    for number, (label, _radius) in enumerate(RINGS, start=1):
        drawing.add(String(140 * mm, key_y, f"{number}. {label}", fontName=pdf.FONT, fontSize=9))
        key_y -= 7 * mm
    for number, (_label, radius) in enumerate(RINGS, start=1):
        drawing.add(
            String(
                centre_x - 2 * mm,
                centre_y + radius * mm - 5 * mm,
                str(number),
                fontName=pdf.FONT_BOLD,
                fontSize=10,
                fillColor=pdf.NHS_BLUE,
            )
        )
    story.append(drawing)

    story.append(PageBreak())
    story.append(_p(_("Who is on the map"), styles["heading"]))
    story.append(
        _p(
            _(
                "One row for each person or group. Influence and interest: high, medium or "
                "low. Our link: strong, weak or none."
            ),
            styles["body"],
        )
    )
    small = styles["small"]
    head = [
        _p(_("Person or group"), small),
        _p(_("What matters to them"), small),
        _p(_("Influence"), small),
        _p(_("Interest"), small),
        _p(_("Our link"), small),
        _p(_("Who could connect us"), small),
    ]
    rows = [head] + [[""] * 6 for _row in range(MAP_ROWS)]
    story.append(
        _grid(
            rows,
            widths=[55 * mm, 70 * mm, 25 * mm, 25 * mm, 25 * mm, 67 * mm],
            row_heights=[None] + [10 * mm] * MAP_ROWS,
        )
    )
    story.append(_p(_("Questions to talk over"), styles["heading"]))
    for question in MAP_QUESTIONS:
        story.append(Paragraph(pdf.markup(str(question)), styles["body"], bulletText="•"))
    return _build(
        story,
        title=title,
        subject=_("A worksheet for mapping who is involved in an issue and how they connect"),
        landscape=True,
        compress=compress,
    )


# The collaborative model's checklists ----------------------------------------------------


@dataclass(frozen=True)
class Checklist:
    heading: str
    introduction: str
    items: tuple[str, ...]


@functools.cache
def collaboration_checklists() -> tuple[str, tuple[Checklist, ...]]:
    """The title of the module that teaches the step-by-step model and its checklists, in
    lesson order, as shipped in `modules/demo_content`."""
    from modules.demo_content import load_programmes

    modules = [module for programme in load_programmes() for module in programme.modules]
    module = next((module for module in modules if module.slug == COLLABORATION_MODULE), None)
    if module is None:  # renamed: the module with the most checklists teaches the model
        module = max(modules, key=lambda module: len(_checklists_of(module)))
    return module.title, _checklists_of(module)


def _checklists_of(module) -> tuple[Checklist, ...]:
    return tuple(
        Checklist(
            heading=block["value"]["heading"],
            introduction=block["value"].get("introduction", ""),
            items=tuple(item["value"] for item in block["value"]["items"]),
        )
        for lesson in module.lessons
        for block in lesson.body
        if block["type"] == "checklist"
    )


def collaboration_checklists_pdf(*, compress: bool = True) -> bytes:
    styles = _styles()
    module_title, checklists = collaboration_checklists()
    title = _("Collaboration checklists, step by step")
    story = _header(
        title,
        [
            _(
                "The checklists from the module “%(module)s”, one for each step of the "
                "collaborative model and for the two threads that run through all of them. "
                "Tick what is true now, note who will do the rest, and bring the sheet back "
                "next time: most groups loop back to earlier steps."
            )
            % {"module": module_title},
            _("Group or project: ______________________________   Date: _______________"),
        ],
    )
    for checklist in checklists:
        rows = [
            [
                _p(_("Done"), styles["small"]),
                _p(_("Check"), styles["small"]),
                _p(_("Notes and who"), styles["small"]),
            ]
        ] + [[_p(BOX, styles["body"]), _p(item, styles["cell"]), ""] for item in checklist.items]
        block: list = [_p(checklist.heading, styles["subheading"])]
        if checklist.introduction:
            block.append(_p(checklist.introduction, styles["small"]))
        block.append(_grid(rows, widths=[14 * mm, 110 * mm, 56 * mm]))
        block.append(Spacer(0, 4 * mm))
        story.append(KeepTogether(block))
    return _build(
        story,
        title=title,
        subject=_("Checklists for each step of a collaborative change"),
        landscape=False,
        compress=compress,
    )


# Learning-cycle log ---------------------------------------------------------------------

CYCLE_STAGES = (
    (gettext_lazy("Plan"), gettext_lazy("What will I try before we next meet, and why?")),
    (gettext_lazy("Act"), gettext_lazy("What did I actually do? What got in the way?")),
    (gettext_lazy("Observe"), gettext_lazy("What did I notice, in others and in myself?")),
    (gettext_lazy("Reflect"), gettext_lazy("What have I learned, and what will I try next?")),
)


def learning_cycle_log_pdf(*, compress: bool = True, meetings: int = CYCLE_MEETINGS) -> bytes:
    styles = _styles()
    title = _("Learning-cycle log")
    story = _header(
        title,
        [
            _(
                "Keep one row for each meeting of your set or workshop series. Before you "
                "leave a meeting, fill in Plan. At the next meeting, fill in Act, Observe "
                "and Reflect, then start the next row with a new plan. Share only what you "
                "choose to."
            ),
            _("Name (optional): ____________________   My challenge: ______________________"),
        ],
    )
    small = styles["small"]
    head = [_p(_("Meeting and date"), small)] + [
        Paragraph(f"<b>{pdf.markup(str(stage))}</b><br/>{pdf.markup(str(prompt))}", small)
        for stage, prompt in CYCLE_STAGES
    ]
    rows = [head] + [
        [_p(_("Meeting %(number)d") % {"number": number}, small), "", "", "", ""]
        for number in range(1, meetings + 1)
    ]
    story.append(
        _grid(
            rows,
            widths=[32 * mm, 59 * mm, 59 * mm, 59 * mm, 58 * mm],
            row_heights=[None] + [40 * mm] * meetings,
        )
    )
    return _build(
        story,
        title=title,
        subject=_("Plan, Act, Observe and Reflect over several meetings"),
        landscape=True,
        compress=compress,
    )


# Partnership health check, for a group --------------------------------------------------


def partnership_questionnaire():
    """The partnership instrument's questionnaire: as learners answer it now if the site
    has it live, or as shipped in `assessments/demo_content`."""
    from assessments import definitions
    from assessments.models import Instrument

    live = Instrument.objects.filter(slug=PARTNERSHIP_INSTRUMENT, live=True).first()
    if live is not None:
        return live.title, definitions.for_live(live)
    return _shipped_partnership_questionnaire()


@functools.cache
def _shipped_partnership_questionnaire():
    from assessments import definitions
    from assessments.demo_content import load_instruments
    from assessments.models import Instrument

    spec = next(spec for spec in load_instruments() if spec.slug == PARTNERSHIP_INSTRUMENT)
    return spec.fields["title"], definitions.build(Instrument(**spec.fields))


def partnership_check_pdf(*, compress: bool = True) -> bytes:
    from assessments import scoring

    styles = _styles()
    instrument_title, questionnaire = partnership_questionnaire()
    definition = questionnaire.definition
    title = _("%(instrument)s: for a group") % {"instrument": instrument_title}
    scale = [option.label for option in definition.scale]
    story = _header(
        title,
        [
            _(
                "Give everyone a copy. Each person marks one box for every statement on their "
                "own, without talking. Then the facilitator reads each statement out and "
                "counts the marks in each column, so the group sees where it agrees and where "
                "it does not. Talk about the spread, not only the average."
            ),
            _("Partnership: ______________________________   Date: _______________"),
        ],
    )
    reversed_items = {item.key for item in definition.items if item.reverse}
    small = styles["small"]
    answer_width = 25 * mm
    statement_width = 180 * mm - answer_width * len(scale) - 12 * mm
    for dimension, text in zip(definition.dimensions, questionnaire.dimensions, strict=True):
        questions = [q for q in questionnaire.questions if q.dimension_key == dimension.key]
        if not questions:
            continue
        rows = [
            [_p(_("No."), small), _p(_("Statement"), small)] + [_p(label, small) for label in scale]
        ]
        for question in questions:
            marker = " *" if question.key in reversed_items else ""
            rows.append(
                [_p(str(question.number), small), _p(question.text + marker, styles["cell"])]
                + [""] * len(scale)
            )
        block: list = [_p(dimension.name, styles["subheading"])]
        if text.description:
            block.append(_p(text.description, small))
        block.append(_grid(rows, widths=[12 * mm, statement_width] + [answer_width] * len(scale)))
        low, high = scoring.score_range(definition, dimension)
        bands = "; ".join(
            f"{scoring.format_number(band.lower)}–{scoring.format_number(band.upper)} "
            f"{band.label.lower()}"
            for band in dimension.bands
        )
        block.append(
            _p(
                _("One person's score runs from %(low)s to %(high)s%(bands)s.")
                % {
                    "low": scoring.format_number(low),
                    "high": scoring.format_number(high),
                    "bands": f" ({bands})" if bands else "",
                },
                small,
            )
        )
        block.append(Spacer(0, 4 * mm))
        story.append(KeepTogether(block))
    values = ", ".join(f"{option.label} {option.value}" for option in definition.scale)
    story.append(_p(_("Working out a score"), styles["heading"]))
    story.append(
        _p(
            _(
                "Each answer scores: %(values)s. A statement marked * is scored the other "
                "way round, because agreeing with it is a warning sign. Add up one person's "
                "scores for each area to compare with the ranges above."
            )
            % {"values": values},
            styles["body"],
        )
    )
    story.append(_p(_("Questions to talk over"), styles["heading"]))
    for question in (
        _("Where do we agree most, and where are we furthest apart?"),
        _("Which statement surprised us, and what lies behind the spread of answers?"),
        _("What is one thing we could change before we next do this check?"),
    ):
        story.append(Paragraph(pdf.markup(question), styles["body"], bulletText="•"))
    return _build(
        story,
        title=title,
        subject=_("A partnership health check for a group to answer and discuss together"),
        landscape=False,
        compress=compress,
    )


WORKSHEETS: dict[str, Worksheet] = {
    worksheet.key: worksheet
    for worksheet in (
        Worksheet(
            key="stakeholder-network-map",
            title=gettext_lazy("Stakeholder and network map"),
            description=gettext_lazy(
                "A ring diagram and a table for mapping who is affected by an issue, who "
                "takes part, who has influence and how they connect."
            ),
            build=stakeholder_map_pdf,
        ),
        Worksheet(
            key="collaboration-checklists",
            title=gettext_lazy("Collaboration checklists, step by step"),
            description=gettext_lazy(
                "The checklist for each step of the collaborative model, with space for "
                "notes and names, to print for a planning group."
            ),
            build=collaboration_checklists_pdf,
        ),
        Worksheet(
            key="learning-cycle-log",
            title=gettext_lazy("Learning-cycle log"),
            description=gettext_lazy(
                "One row per meeting for Plan, Act, Observe and Reflect, so people can see "
                "their learning build up over a series."
            ),
            build=learning_cycle_log_pdf,
        ),
        Worksheet(
            key="partnership-check",
            title=gettext_lazy("Partnership health check for a group"),
            description=gettext_lazy(
                "The partnership health check's statements with columns for a group's marks, "
                "the score ranges and questions to talk over."
            ),
            build=partnership_check_pdf,
        ),
    )
}


def worksheet_choices() -> list[tuple[str, str]]:
    """The worksheets an editor can attach to a guide, for the guide's ChoiceBlock."""
    return [(worksheet.key, worksheet.title) for worksheet in WORKSHEETS.values()]
