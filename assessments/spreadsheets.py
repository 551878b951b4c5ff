"""Helpers for the CSV and XLSX files people download (answers here, cohort progress in
the cohorts app): cells a spreadsheet will not run, and a writer target for streaming."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell a spreadsheet will not run as a formula: text starting =, +, -, @ (or a
    tab or carriage return) gets a leading quote. Numbers are left as numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class Echo:
    """A file-like object whose write returns what it was given, for streaming a CSV."""

    def write(self, value):
        return value
