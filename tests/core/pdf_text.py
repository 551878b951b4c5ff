"""Just enough PDF reading for tests: the fonts a ReportLab PDF uses and the text it draws.

Reads ReportLab's own output only (each object whole between `obj` and `endobj`, streams
plain, Flate- or ASCII85-and-Flate-encoded, text drawn with `Tj`), compressed or not. A
font's text is decoded through its ToUnicode map, as a PDF reader copying text would, so
a letter drawn with a glyph the font lacks, or through the wrong encoding, does not read
back as itself.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"(.*?/Length (\d+).*?)stream\r?\n", re.S)
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,})>")
_TEXT = re.compile(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\) Tj|T\*|ET", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


@dataclass(frozen=True)
class Font:
    name: str  # the resource name the page content uses, such as "F1+0"
    base_font: str  # as embedded, such as "AAAAAA+DejaVuSans-Bold"
    subtype: str  # "TrueType" for an embedded font, "Type1" for a built-in one
    embedded: bool
    to_unicode: dict[int, str]

    @property
    def family(self) -> str:
        """The font's own name without a subset tag: "DejaVuSans-Bold"."""
        return self.base_font.split("+", 1)[-1]


@dataclass(frozen=True)
class PdfContent:
    fonts: tuple[Font, ...]
    text: str

    @property
    def font_names(self) -> set[str]:
        return {font.family for font in self.fonts}


def _decoded(head: bytes, raw: bytes) -> bytes:
    if b"/ASCII85Decode" in head:
        raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
    if b"/FlateDecode" in head:
        raw = zlib.decompress(raw)
    return raw


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    found: dict[int, tuple[bytes, bytes | None]] = {}
    for match in _OBJECT.finditer(data):
        body = match.group(2)
        stream = _STREAM.match(body)
        if stream is None:
            found[int(match.group(1))] = (body, None)
        else:
            head, length = stream.group(1), int(stream.group(2))
            raw = body[stream.end() : stream.end() + length]
            found[int(match.group(1))] = (head, _decoded(head, raw))
    return found


def _unescaped(text: bytes) -> bytes:
    def one(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return _ESCAPES.get(code, code)

    return _ESCAPE.sub(one, text)


def _search(pattern: bytes, text: bytes) -> bytes:
    match = re.search(pattern, text)
    assert match is not None, (pattern, text[:200])
    return match.group(1)


def _pages(objects: dict[int, tuple[bytes, bytes | None]]) -> list[int]:
    """The content stream of every page, in page order (ReportLab writes one /Pages)."""
    (tree,) = [head for head, _stream in objects.values() if b"/Type /Pages" in head]
    kids = _search(rb"/Kids \[([^\]]*)\]", tree)
    return [
        int(_search(rb"/Contents (\d+) 0 R", objects[int(page)][0]))
        for page in re.findall(rb"(\d+) 0 R", kids)
    ]


def read_pdf(data: bytes) -> PdfContent:
    """The fonts and the text (one line per line drawn, in drawing order) of a PDF."""
    assert data.startswith(b"%PDF"), data[:20]
    objects = _objects(data)
    fonts = {}
    for head, _stream in objects.values():
        if not re.search(rb"/Type /Font\b(?!Descriptor)", head):
            continue
        name = re.search(rb"/Name /(\S+)", head)
        base = re.search(rb"/BaseFont /(\S+)", head)
        subtype = re.search(rb"/Subtype /(\S+)", head)
        descriptor = re.search(rb"/FontDescriptor (\d+) 0 R", head)
        unicode_ref = re.search(rb"/ToUnicode (\d+) 0 R", head)
        assert name and base and subtype, head
        to_unicode = {}
        if unicode_ref:
            cmap = objects[int(unicode_ref.group(1))][1] or b""
            to_unicode = {
                int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be")
                for code, value in _BFCHAR.findall(cmap)
            }
        embedded = bool(descriptor) and b"/FontFile" in objects[int(descriptor.group(1))][0]
        fonts[name.group(1).decode()] = Font(
            name=name.group(1).decode(),
            base_font=base.group(1).decode(),
            subtype=subtype.group(1).decode(),
            embedded=embedded,
            to_unicode=to_unicode,
        )
    lines: list[str] = []
    for page in _pages(objects):
        stream = objects[page][1] or b""
        font: Font | None = None
        line = ""
        for match in _TEXT.finditer(stream):
            if match.group(1) is not None:
                font = fonts[match.group(1).decode()]
            elif match.group(2) is not None:
                codes = _unescaped(match.group(2))
                if font is not None and font.to_unicode:
                    line += "".join(font.to_unicode.get(code, "\ufffd") for code in codes)
                else:
                    line += codes.decode("cp1252", errors="replace")
            else:
                lines.append(line)
                line = ""
    return PdfContent(
        fonts=tuple(fonts.values()), text="\n".join(line for line in lines if line.strip())
    )
