"""The PDF toolkit: one bundled font that prints Welsh and the rest of Latin Extended-A,
one page set-up, and the three documents (result, certificate, journal) built with it."""

import datetime
import io
from pathlib import Path
from unittest import mock

import pytest
from django.test import override_settings
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from core import pdf

from .pdf_text import read_pdf

ROOT = Path(__file__).resolve().parents[2]
WELSH_NAME = "Siân Ŵyn ap Ŷwain Łukasz Øster"
# Latin-1 Supplement's letters and every letter of Latin Extended-A (U+0100 to U+017F).
LATIN_EXTENDED = "".join(chr(code) for code in range(0x00C0, 0x0180) if chr(code).isalpha())
DEJAVU = {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}


def paragraphs(*texts: str, style: str = "body") -> list[Paragraph]:
    styles = pdf.styles()
    return [Paragraph(pdf.markup(text), styles[style]) for text in texts]


def assert_only_the_bundled_font(data: bytes) -> None:
    content = read_pdf(data)
    assert content.font_names <= DEJAVU, content.font_names
    assert all(font.embedded and font.subtype == "TrueType" for font in content.fonts)
    assert b"Helvetica" not in data


# The font --------------------------------------------------------------------------------


def test_the_fonts_and_their_licence_are_in_the_repository():
    folder = ROOT / "core" / "fonts"
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"):
        assert (folder / name).read_bytes()[:4] == b"\x00\x01\x00\x00", name  # TrueType
    licence = (folder / "LICENSE-DejaVu.txt").read_text()
    assert "Bitstream Vera Fonts Copyright" in licence
    assert "Arev Fonts Copyright" in licence
    assert pdf.FONT_DIR == folder


@pytest.mark.parametrize("style", ["title", "heading", "subheading", "body", "small"])
def test_every_style_draws_welsh_letters_with_the_embedded_font(style):
    data = pdf.build(
        paragraphs(WELSH_NAME, "ŵ ŷ Ŵ Ŷ", style=style), title="T", author="A", subject="S"
    )

    content = read_pdf(data)
    assert content.text.splitlines() == [WELSH_NAME, "ŵ ŷ Ŵ Ŷ"]
    assert_only_the_bundled_font(data)


def test_the_whole_of_latin_extended_a_reads_back():
    data = pdf.build(paragraphs(LATIN_EXTENDED), title="T", author="A", subject="S")

    assert "".join(read_pdf(data).text.split()) == LATIN_EXTENDED
    assert_only_the_bundled_font(data)


def test_bold_and_italic_markup_use_the_bundled_faces():
    data = pdf.build(
        [Paragraph("Ŵ <b>Ŵ bold</b> <i>Ŷ italic</i>", pdf.styles()["body"])],
        title="T",
        author="A",
        subject="S",
        compress=False,
    )

    content = read_pdf(data)
    assert content.text == "Ŵ Ŵ bold Ŷ italic"
    assert content.font_names == DEJAVU


def test_helvetica_would_not_have_printed_the_name():
    """The check above means something: ReportLab's built-in font loses ŵ and its kin."""
    buffer = io.BytesIO()
    style = ParagraphStyle("Old", fontName="Helvetica")
    SimpleDocTemplate(buffer).build([Paragraph(WELSH_NAME, style)])

    content = read_pdf(buffer.getvalue())
    assert "Helvetica" in content.font_names
    assert WELSH_NAME not in content.text


def test_no_code_of_ours_names_helvetica():
    apps = ["accounts", "assessments", "cohorts", "core", "home", "lms", "modules"]
    mentions = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "Helvetica" in path.read_text()
    ]
    assert mentions == []


# The page set-up -------------------------------------------------------------------------


def test_build_makes_an_a4_page_with_metadata_and_optional_page_numbers():
    data = pdf.build(
        paragraphs("One", "Two"),
        title="Ŵyn's journal",
        author="Siân",
        subject="Notes",
        page_label=lambda page, total: f"Page {page} of {total}",
        compress=False,
    )

    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4 portrait
    assert b"/Lang (en-GB)" in data
    assert read_pdf(data).text.splitlines() == ["One", "Two", "Page 1 of 1"]
    assert_only_the_bundled_font(data)


def test_build_lays_out_landscape_and_numbers_every_page():
    long_story = paragraphs(*["A line that fills the page."] * 120)

    data = pdf.build(
        long_story,
        title="T",
        author="A",
        subject="S",
        landscape_page=True,
        page_label=lambda page, total: f"{page}/{total}",
        compress=False,
    )

    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in data
    labels = [line for line in read_pdf(data).text.splitlines() if "/" in line]
    assert len(labels) >= 3
    assert labels == [f"{page}/{len(labels)}" for page in range(1, len(labels) + 1)]


def test_markup_keeps_text_as_text():
    assert pdf.markup("<b>Ŵ</b> & (x)\nnext\x07") == "&lt;b&gt;Ŵ&lt;/b&gt; &amp; (x)<br/>next"


# The three documents ---------------------------------------------------------------------


@override_settings(WAGTAILADMIN_BASE_URL="https://learn.example.org/")
def test_a_certificate_prints_a_welsh_name_through_the_toolkit():
    from modules import certificates

    details = certificates.CertificateDetails(
        learner_name=WELSH_NAME,
        module_title="Arwain drwy'r system: ŵyr ac ŷd",
        completed_at=datetime.datetime(2027, 3, 3, 12, tzinfo=datetime.UTC),
        estimated_minutes=45,
        code="ABCDEFGHIJKLMNOPQRST",
        service_name="Arwain Gyda'n Gilydd",
        verification_url=certificates.verification_url("ABCDEFGHIJKLMNOPQRST"),
    )

    with mock.patch("core.pdf.build", wraps=pdf.build) as build:
        data = certificates.render_pdf(details)

    build.assert_called_once()
    assert build.call_args.kwargs["landscape_page"] is True
    lines = read_pdf(data).text.splitlines()
    assert WELSH_NAME in lines
    assert "Arwain drwy'r system: ŵyr ac ŷd" in lines
    assert_only_the_bundled_font(data)


@pytest.mark.django_db
def test_the_journal_prints_a_welsh_name_and_answer_through_the_toolkit(learner):
    from modules.journal import render_pdf
    from tests.modules.factories import JournalEntryFactory

    entry = JournalEntryFactory(learner=learner, text="Gwrando’n astud: ŵyn, ŷd, Łódź.")

    with mock.patch("core.pdf.build", wraps=pdf.build) as build:
        data = render_pdf([entry], learner_name=WELSH_NAME, today=datetime.date(2027, 3, 3))

    build.assert_called_once()
    text = read_pdf(data).text
    assert f"{WELSH_NAME}, downloaded on 3 March 2027." in text.splitlines()
    assert "Gwrando’n astud: ŵyn, ŷd, Łódź." in text.splitlines()
    assert "Page 1 of 1" in text.splitlines()
    assert_only_the_bundled_font(data)


@pytest.mark.django_db
def test_a_self_assessment_result_prints_a_welsh_name_through_the_toolkit(learner):
    from assessments import pdf as result_pdf
    from assessments import selectors
    from tests.assessments.factories import small_instrument, submit

    instrument = small_instrument(title="Gwirio'r tîm: ŵyn ac ŷd", show_ranking=True)
    response = submit(learner, instrument, 3)
    detail = selectors.result_detail(learner, selectors.submitted_result(learner, response.pk))

    with mock.patch("core.pdf.build", wraps=pdf.build) as build:
        data = result_pdf.render_pdf(detail, learner_name=WELSH_NAME)

    build.assert_called_once()
    lines = read_pdf(data).text.splitlines()
    assert "Gwirio'r tîm: ŵyn ac ŷd" in lines
    assert WELSH_NAME in lines
    assert "Your top five" in lines  # a numbered list: its numbers in the bundled font too
    assert_only_the_bundled_font(data)
