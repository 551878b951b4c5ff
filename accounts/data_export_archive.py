"""The ZIP of a person's data download: what goes in it and how each part is written.

    data.json    everything the privacy registry's providers export, under a header
    README.md    what data.json holds, section by section, from the providers' claims
    index.html   the same data as a readable page that needs nothing but a browser
    <files>      the providers' files (journal in Markdown, certificate and result PDFs)

Nothing here touches the database: `archive_write` is given the header, the sections, the
claims and the files, so that the build (`accounts.data_exports`) decides what to read.
"""

from __future__ import annotations

import datetime
import json
import posixpath
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from .privacy import Claim, ExportFile

# Raise it when the shape of data.json changes in a way a reader of an older file must know.
SCHEMA_VERSION = 1

DATA_JSON = "data.json"
README = "README.md"
INDEX_HTML = "index.html"
RESERVED = {DATA_JSON.lower(), README.lower(), INDEX_HTML.lower()}
FILES_FOLDER = "files"


@dataclass(frozen=True)
class Header:
    generated_at: datetime.datetime
    site_name: str
    email: str

    def as_json(self, files: Sequence[str]) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at.isoformat(),
            "site_name": self.site_name,
            "email": self.email,
            "files": list(files),
        }


def safe_path(path: str, taken: set[str]) -> str:
    """`path` as a relative POSIX path inside the ZIP that cannot climb out of it, does not
    replace data.json, README.md or index.html, and is not taken already (a second
    "notes.md" becomes "notes-2.md"). Adds the result to `taken`."""
    parts = [
        part
        for part in posixpath.normpath(path.replace("\\", "/").replace("\x00", "")).split("/")
        if part not in {"", ".", ".."}
    ]
    clean = "/".join(parts) or "file"
    if clean.lower() in RESERVED:
        clean = f"{FILES_FOLDER}/{clean}"
    stem, extension = posixpath.splitext(clean)
    candidate, number = clean, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}-{number}{extension}"
    taken.add(candidate.lower())
    return candidate


def data_json(header: Header, sections: Mapping[str, Any], files: Sequence[str]) -> str:
    return json.dumps(
        {**header.as_json(files), "sections": sections},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        indent=2,
    )


def _label(key: Any) -> str:
    text = str(key).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list | tuple)


def _text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%-d %B %Y, %H:%M") if value.tzinfo else str(value)
        )
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and value[10:11] == "T":
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return _text(parsed)
    return str(value)


def node(value: Any) -> dict[str, Any]:
    """A value of the export as a tree the HTML template draws: a table for a list of
    flat records, a description list for a record, a list for a list, text otherwise."""
    if isinstance(value, Mapping):
        return {
            "kind": "record",
            "items": [{"label": _label(key), "value": node(item)} for key, item in value.items()],
        }
    if isinstance(value, list | tuple):
        if not value:
            return {"kind": "empty"}
        if all(isinstance(item, Mapping) for item in value) and all(
            _is_scalar(cell) for item in value for cell in item.values()
        ):
            columns = list(dict.fromkeys(key for item in value for key in item))
            return {
                "kind": "table",
                "headings": [_label(column) for column in columns],
                "rows": [[_text(item.get(column)) for column in columns] for item in value],
            }
        return {"kind": "list", "items": [node(item) for item in value]}
    return {"kind": "text", "text": _text(value)}


def index_html(header: Header, sections: Mapping[str, Any], files: Sequence[str]) -> str:
    return render_to_string(
        "accounts/data_export/index.html",
        {
            "header": header,
            "sections": [
                {"name": name, "title": _label(name), "id": f"section-{number}", "tree": node(data)}
                for number, (name, data) in enumerate(sections.items(), start=1)
            ],
            "files": files,
        },
    )


def readme(header: Header, claims: Iterable[tuple[str, Claim]], files: Sequence[str]) -> str:
    by_section: dict[str, list[Claim]] = {}
    for section, claim in claims:
        by_section.setdefault(section, []).append(claim)
    return render_to_string(
        "accounts/data_export/README.md",
        {
            "header": header,
            "schema_version": SCHEMA_VERSION,
            "sections": [
                {"name": name, "title": _label(name), "claims": section_claims}
                for name, section_claims in by_section.items()
            ],
            "files": files,
        },
    )


def archive_write(
    output: IO[bytes],
    *,
    header: Header,
    sections: Mapping[str, Any],
    claims: Iterable[tuple[str, Claim]],
    files: Iterable[ExportFile],
) -> list[str]:
    """Write the ZIP to `output` (a file open for writing bytes); returns the paths of the
    providers' files inside it."""
    files = list(files)
    taken = set(RESERVED)
    paths = [safe_path(file.path, taken) for file in files]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_JSON, data_json(header, sections, paths))
        archive.writestr(README, readme(header, claims, paths))
        archive.writestr(INDEX_HTML, index_html(header, sections, paths))
        for path, file in zip(paths, files, strict=True):
            archive.writestr(path, file.content)
    return paths
