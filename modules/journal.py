"""A learner's journal: the selector that reads it and the Markdown and PDF renderers.

Reads go through `journal_entries_for(learner)`, the only query the journal page and its
downloads run for entries: one query, with the lesson joined, whatever the number of
entries. Grouping and rendering are pure functions of the entries they are given, so
they never see anyone else's entries unless a caller passes them in.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from core import pdf as toolkit
from core.pdf import markup as _markup

from .models import JournalEntry

LONDON = ZoneInfo("Europe/London")


# Reading ------------------------------------------------------------------------------


def journal_entries_for(learner) -> QuerySet[JournalEntry]:
    """The learner's own journal entries, newest first, with each lesson joined."""
    return (
        JournalEntry.objects.filter(learner=learner)
        .select_related("lesson")
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class JournalModule:
    """The entries from one module, newest first, under the module's title."""

    title: str
    entries: tuple[JournalEntry, ...]


def group_by_module(entries: Iterable[JournalEntry]) -> list[JournalModule]:
    """Group entries by module, newest entry first, groups ordered by their newest entry.

    Entries from a module that still exists belong together even if its title changed
    between them (the newest entry's title is shown); entries whose module has gone are
    grouped by the module title they were written under.
    """
    ordered = sorted(entries, key=lambda e: (e.updated_at, e.pk or 0), reverse=True)
    groups: dict[tuple[str, object], list[JournalEntry]] = {}
    for entry in ordered:
        key = ("module", entry.module_id) if entry.module_id else ("title", entry.module_title)
        groups.setdefault(key, []).append(entry)
    return [
        JournalModule(title=items[0].module_title, entries=tuple(items))
        for items in groups.values()
    ]


# Formatting shared by the page and the downloads --------------------------------------

# The same formats as the template filters on the journal page.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:iA"


def format_date(value: datetime.date) -> str:
    return dateformat.format(value, DATE_FORMAT)


def format_updated(value: datetime.datetime) -> str:
    """'3 March 2025 at 2:05pm', in UK time."""
    local = timezone.localtime(value, LONDON)
    return _("%(date)s at %(time)s") % {
        "date": dateformat.format(local, DATE_FORMAT),
        "time": dateformat.format(local, TIME_FORMAT).lower(),
    }


def kind_label(entry: JournalEntry) -> str:
    return str(entry.get_kind_display())


def cycle_parts(entry: JournalEntry) -> list[tuple[str, str]]:
    return [
        (_("Plan"), entry.plan),
        (_("Act"), entry.act),
        (_("Observe"), entry.observe),
        (_("Reflect"), entry.reflect),
    ]


def download_filename(today: datetime.date, extension: str) -> str:
    return f"journal-{today.isoformat()}.{extension}"


NO_ANSWER = gettext_lazy("No answer written.")
EMPTY_JOURNAL = gettext_lazy(
    "You have not written anything in your journal yet. Your reflections, action "
    "commitments and learning cycles will appear here as you work through lessons."
)


def _downloaded_line(learner_name: str, today: datetime.date) -> str:
    return _("%(name)s, downloaded on %(date)s.") % {
        "name": learner_name,
        "date": format_date(today),
    }


# Markdown -----------------------------------------------------------------------------


def _blockquote(text: str) -> str:
    return "\n".join(f"> {line}".rstrip() for line in text.strip().splitlines() or [""])


def _answer_markdown(text: str) -> str:
    """The learner's text verbatim, or a note that there is none."""
    return text.strip("\n") if text.strip() else f"*{str(NO_ANSWER)}*"


def render_markdown(
    entries: Iterable[JournalEntry], *, learner_name: str, today: datetime.date
) -> str:
    """The journal as a Markdown document. Learner text is kept exactly as written."""
    lines = [
        f"# {_('Learning journal')}",
        "",
        _downloaded_line(learner_name, today),
        "",
    ]
    groups = group_by_module(entries)
    if not groups:
        lines += [str(EMPTY_JOURNAL), ""]
    for group in groups:
        lines += [f"## {group.title}", ""]
        for entry in group.entries:
            lines += [
                f"### {kind_label(entry)}: {entry.lesson_title}",
                "",
                f"*{_('Last updated %(when)s') % {'when': format_updated(entry.updated_at)}}*",
                "",
                _blockquote(entry.prompt),
                "",
            ]
            if entry.kind == JournalEntry.Kind.LEARNING_CYCLE:
                for heading, text in cycle_parts(entry):
                    lines += [f"#### {heading}", "", _answer_markdown(text), ""]
            else:
                lines += [_answer_markdown(entry.text), ""]
            if entry.kind == JournalEntry.Kind.ACTION and entry.due_on:
                lines += [f"**{_('By %(date)s') % {'date': format_date(entry.due_on)}}**", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# PDF ----------------------------------------------------------------------------------


def _styles() -> dict[str, ParagraphStyle]:
    """The toolkit's styles, named for the journal's parts."""
    styles = toolkit.styles()
    body = styles["body"]
    return {
        "title": styles["title"],
        "module": ParagraphStyle("JournalModule", parent=styles["heading"], spaceBefore=14),
        "entry": ParagraphStyle("JournalEntry", parent=styles["subheading"], spaceBefore=10),
        "part": ParagraphStyle(
            "JournalPart",
            parent=body,
            fontName=toolkit.FONT_BOLD,
            spaceBefore=4,
            spaceAfter=2,
        ),
        "meta": styles["small"],
        "prompt": ParagraphStyle(
            "JournalPrompt", parent=body, fontName=toolkit.FONT_ITALIC, leftIndent=4 * mm
        ),
        "body": body,
    }


def _page_label(page: int, total: int) -> str:
    return _("Page %(page)s of %(total)s") % {"page": page, "total": total}


def render_pdf(
    entries: Iterable[JournalEntry],
    *,
    learner_name: str,
    today: datetime.date,
    compress: bool = True,
) -> bytes:
    """The journal as an A4 PDF. `compress=False` leaves the text readable in the bytes."""
    styles = _styles()
    story: list = [
        Paragraph(_markup(_("Learning journal")), styles["title"]),
        Paragraph(
            _markup(_downloaded_line(learner_name, today)),
            styles["meta"],
        ),
    ]
    groups = group_by_module(entries)
    if not groups:
        story.append(Spacer(0, 6 * mm))
        story.append(Paragraph(_markup(str(EMPTY_JOURNAL)), styles["body"]))
    for group in groups:
        story.append(Paragraph(_markup(group.title), styles["module"]))
        for entry in group.entries:
            heading = [
                Paragraph(_markup(f"{kind_label(entry)}: {entry.lesson_title}"), styles["entry"]),
                Paragraph(
                    _markup(
                        _("Last updated %(when)s") % {"when": format_updated(entry.updated_at)}
                    ),
                    styles["meta"],
                ),
                Paragraph(_markup(entry.prompt), styles["prompt"]),
            ]
            story.append(KeepTogether(heading))
            if entry.kind == JournalEntry.Kind.LEARNING_CYCLE:
                for part, text in cycle_parts(entry):
                    story.append(Paragraph(_markup(part), styles["part"]))
                    story.append(_answer_paragraph(text, styles))
            else:
                story.append(_answer_paragraph(entry.text, styles))
            if entry.kind == JournalEntry.Kind.ACTION and entry.due_on:
                by = _("By %(date)s") % {"date": format_date(entry.due_on)}
                story.append(Paragraph(f"<b>{_markup(by)}</b>", styles["body"]))

    return toolkit.build(
        story,
        title=_("Learning journal"),
        author=learner_name,
        subject=_("Reflections, action commitments and learning cycles"),
        margins=(toolkit.MARGIN, toolkit.MARGIN, 22 * mm, toolkit.MARGIN),
        page_label=_page_label,
        compress=compress,
    )


def _answer_paragraph(text: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    if text.strip():
        return Paragraph(_markup(text.strip("\n")), styles["body"])
    return Paragraph(f"<i>{_markup(str(NO_ANSWER))}</i>", styles["body"])
