"""Invitation lists: reading pasted addresses and CSV files, and the emails that follow.

Reading is pure (text and bytes in, addresses and row-by-row problems out; no database),
so that a list can be checked in full before anything is written. The invitation email
is rendered from its templates by the task that sends it (`tasks.invitation_email_send`).
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MAX_ROWS = 5_000
MAX_UPLOAD_BYTES = 1024 * 1024
MAX_PASTED_CHARACTERS = 400_000
MAX_EMAIL_LENGTH = 254  # as the User model's EmailField
SHOWN_VALUE_LENGTH = 60

# Characters that never appear in a text file; their presence means a binary upload
# (a spreadsheet saved as .xlsx, a PDF, an image) with a .csv name.
BINARY_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ANGLE_ADDRESS = re.compile(r"<([^<>]*)>")
PASTED_SEPARATORS = re.compile(r"[,;]")


class Source(StrEnum):
    PASTED = "pasted"
    FILE = "file"


class Problem(StrEnum):
    INVALID = "invalid"
    DUPLICATE = "duplicate"
    MISSING = "missing"


class UploadRefused(ValueError):
    """The whole file cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class Entry:
    """One address as written: where it came from (line of the pasted text, or row of
    the file, counting from 1 as a spreadsheet does) and the text in that cell."""

    source: Source
    number: int
    value: str


@dataclass(frozen=True)
class RowError:
    entry: Entry
    problem: Problem
    first: Entry | None = None  # for a duplicate: where the address first appeared

    @property
    def message(self) -> str:
        where = _place(self.entry, capital=True)
        if self.problem == Problem.MISSING:
            return _("%(where)s has no email address.") % {"where": where}
        value = _shown(self.entry.value)
        if self.problem == Problem.DUPLICATE and self.first is not None:
            if self.first.source == self.entry.source:
                first = _place(self.first, capital=False)
            else:
                first = _place_elsewhere(self.first)
            return _("%(where)s: '%(value)s' is a repeat of %(first)s, so it is left out.") % {
                "where": where,
                "value": value,
                "first": first,
            }
        return _("%(where)s: '%(value)s' is not an email address.") % {
            "where": where,
            "value": value,
        }

    def __str__(self) -> str:
        return self.message


@dataclass
class CheckedList:
    """Valid addresses (lower case, first appearance only, in order) and every problem."""

    emails: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _place(entry: Entry, *, capital: bool) -> str:
    if entry.source == Source.FILE:
        text = _("Row %(number)s") if capital else _("row %(number)s")
    else:
        text = _("Line %(number)s") if capital else _("line %(number)s")
    return text % {"number": entry.number}


def _place_elsewhere(entry: Entry) -> str:
    if entry.source == Source.FILE:
        return _("row %(number)s of the file") % {"number": entry.number}
    return _("line %(number)s of the pasted addresses") % {"number": entry.number}


def _shown(value: str) -> str:
    value = " ".join(value.split())
    if len(value) > SHOWN_VALUE_LENGTH:
        return value[: SHOWN_VALUE_LENGTH - 1] + "…"
    return value


def clean_address(value: str) -> str | None:
    """The address in lower case, or None if it is not one.

    Accepts what mail programs paste: `Sam Jones <sam@example.org>` and `mailto:` links.
    """
    text = value.strip().strip("\"'").strip()
    match = ANGLE_ADDRESS.search(text)
    if match:
        text = match.group(1).strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    if not text or len(text) > MAX_EMAIL_LENGTH:
        return None
    try:
        validate_email(text)
    except ValidationError:
        return None
    return text.lower()


def read_pasted(text: str) -> list[Entry]:
    """Addresses pasted one per line or separated by commas or semicolons."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        for part in PASTED_SEPARATORS.split(line):
            if part.strip():
                entries.append(Entry(Source.PASTED, number, part.strip()))
    return entries


def _decode(data: bytes) -> str:
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            _("The file is larger than 1 MB. Split the list into smaller files and upload each.")
        )
    if b"\x00" in data:
        raise UploadRefused(
            _(
                "That file is not a CSV file. Save it from your spreadsheet as 'CSV UTF-8' "
                "and upload it again."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(
            _(
                "The file is not saved as UTF-8 text. In your spreadsheet, save it as "
                "'CSV UTF-8 (comma delimited)' and upload it again."
            )
        ) from None
    if BINARY_CHARACTERS.search(text):
        raise UploadRefused(
            _(
                "That file is not a CSV file. Save it from your spreadsheet as 'CSV UTF-8' "
                "and upload it again."
            )
        )
    return text


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _is_email_heading(cell: str) -> bool:
    words = re.sub(r"[^a-z]+", " ", cell.lower().replace("e-mail", "email")).split()
    return "email" in words


def _email_column(first_row: list[str]) -> tuple[int, bool]:
    """The column that holds the addresses, and whether the first row is a heading row.

    A heading that mentions "email" names the column; a first row with no "@" anywhere is
    taken as headings too (the addresses are then in the first column).
    """
    for index, cell in enumerate(first_row):
        if _is_email_heading(cell):
            return index, True
    has_address = any("@" in cell for cell in first_row)
    return 0, not has_address


def read_csv(data: bytes) -> list[Entry]:
    """Addresses from an uploaded CSV file: the column headed "Email", else the first.

    Raises UploadRefused (and reads nothing) for a file that is too big, binary, not
    UTF-8, not CSV, or longer than MAX_ROWS rows of addresses.
    """
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    entries: list[Entry] = []
    column: int | None = None
    try:
        for number, row in enumerate(reader, start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells):
                continue
            if column is None:
                column, heading = _email_column(cells)
                if heading:
                    continue
            if len(entries) >= MAX_ROWS:
                raise UploadRefused(
                    _(
                        "The file has more than %(rows)s rows. Split the list into smaller "
                        "files and upload each."
                    )
                    % {"rows": f"{MAX_ROWS:,}"}
                )
            value = cells[column] if column < len(cells) else ""
            entries.append(Entry(Source.FILE, number, value))
    except csv.Error:
        raise UploadRefused(
            _("The file could not be read as CSV. Check it opens in a spreadsheet and try again.")
        ) from None
    return entries


def check_entries(entries: Iterable[Entry]) -> CheckedList:
    """Every entry checked: valid addresses go in once; the rest are reported by row."""
    checked = CheckedList()
    seen: dict[str, Entry] = {}
    for entry in entries:
        if not entry.value:
            checked.errors.append(RowError(entry, Problem.MISSING))
            continue
        email = clean_address(entry.value)
        if email is None:
            checked.errors.append(RowError(entry, Problem.INVALID))
        elif email in seen:
            checked.errors.append(RowError(entry, Problem.DUPLICATE, first=seen[email]))
        else:
            seen[email] = entry
            checked.emails.append(email)
    return checked


# Emails ---------------------------------------------------------------------------------


def _render(kind: str, context: dict, request=None) -> tuple[str, str]:
    subject = render_to_string(f"cohorts/email/{kind}_subject.txt", context, request=request)
    body = render_to_string(f"cohorts/email/{kind}_message.txt", context, request=request)
    return " ".join(subject.split()), body


def _lead_name(lead) -> str:
    if lead is None:
        return _("Your programme lead")
    return lead.get_full_name() or lead.email


def invitation_email(*, invitation, invitation_url: str) -> EmailMessage:
    """ "<lead> has invited you to join <cohort>", with the link to accept or decline."""
    lead = invitation.invited_by
    subject, body = _render(
        "invitation",
        {
            "cohort_name": invitation.cohort.name,
            "email": invitation.email,
            "lead_name": _lead_name(lead),
            "invitation_url": invitation_url,
            "expires_at": invitation.expires_at,
        },
    )
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [invitation.email],
        reply_to=[lead.email] if lead is not None else [],
    )
