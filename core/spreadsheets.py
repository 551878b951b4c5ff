"""Cells a spreadsheet will not run, for every CSV and XLSX file the site offers, and the
lines of a streamed CSV.

Our own downloads (answers, cohort progress) call `safe_cell` on each value. Wagtail's
exports (site history, aging and locked pages, form submissions, snippets, and the
listings of our viewsets: organisations, cohorts) are built by its
`SpreadsheetExportMixin`, which offers no hook for this; `neutralise_wagtail_exports()`
wraps the one method every one of them passes each value through.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# A spreadsheet starts a formula at =, +, - or @; a leading tab or carriage return can
# hide one. The full-width forms (＝ ＋ － ＠) are converted to their ASCII twins by some
# spreadsheet programs' input handling, so they are refused too.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula: text starting with one of
    `FORMULA_PREFIXES` gets a leading quote. Numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write returns what it was given, for streaming a CSV."""

    def write(self, value):
        return value


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


def csv_lines(rows: Iterable[Sequence]) -> Iterator[str]:
    """Each row as one line of CSV, its cells made safe (`safe_cell`; empty for None, ISO
    8601 for dates), for a streaming response or a file."""
    writer = csv.writer(Echo())
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


_wagtail_preprocess_field_value = SpreadsheetExportMixin.preprocess_field_value


def _safe_preprocess_field_value(self, field, value, export_format):
    return safe_cell(_wagtail_preprocess_field_value(self, field, value, export_format))


def neutralise_wagtail_exports() -> None:
    """Pass every cell of Wagtail's CSV and XLSX exports through `safe_cell`.

    The single patch point for Wagtail's exports: `SpreadsheetExportMixin
    .preprocess_field_value` is where both formats turn each value into a cell
    (`write_csv_row`, `generate_xlsx_row`), and no Wagtail view overrides it. Idempotent.
    """
    SpreadsheetExportMixin.preprocess_field_value = _safe_preprocess_field_value
