"""My journal: a learner's own reflections, commitments and learning cycles, and downloads.

The privacy tests build entries for two learners and check the exact content each one
gets back: nobody (a programme lead included) ever reads another person's journal.
"""

import base64
import datetime
import re
import zlib
from html import unescape
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import PROGRAMME_LEAD
from modules.journal import group_by_module, render_markdown, render_pdf
from modules.models import JournalEntry
from tests.core.pdf_text import read_pdf
from tests.factories import UserFactory
from tests.modules.factories import JournalEntryFactory, LessonPageFactory, ModulePageFactory

JOURNAL_URL = "/learn/journal/"
MARKDOWN_URL = "/learn/journal/download.md"
PDF_URL = "/learn/journal/download.pdf"
UTC = datetime.UTC


def at(day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment in July 2025 (British Summer Time, so UK time is an hour ahead)."""
    return datetime.datetime(2025, 7, day, hour, minute, tzinfo=UTC)


def pdf_text(data: bytes) -> bytes:
    """The decoded content streams of a ReportLab PDF (ASCII85 then Flate by default)."""
    decoded = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        raw = raw.strip()
        if raw.endswith(b"~>"):
            raw = base64.a85decode(raw[:-2])
        try:
            decoded.append(zlib.decompress(raw))
        except zlib.error:
            decoded.append(raw)
    return b"\n".join(decoded)


def entry_headings(html: str) -> list[str]:
    """The lesson titles of the entries on the journal page, in page order."""
    cards = re.findall(r'<h3 class="nhsuk-card__heading[^"]*">(.*?)</h3>', html, flags=re.DOTALL)
    return [unescape(re.sub(r"<[^>]+>", "", card)).strip() for card in cards]


def module_headings(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(
            r'<h2 class="nhsuk-heading-l" id="journal-module-\d+">(.*?)</h2>', html
        )
    ]


@pytest.fixture
def module(home_page):
    return ModulePageFactory(title="Relational leadership")


@pytest.fixture
def lesson(module):
    return LessonPageFactory(parent=module, title="Listening first")


@pytest.fixture
def other_learner(organisation):
    return UserFactory(organisation=organisation, first_name="Priya", last_name="Shah")


@pytest.fixture
def two_journals(learner, other_learner, lesson):
    """Two entries for `learner` and one for `other_learner`, in the same lesson."""
    mine = [
        JournalEntryFactory(
            learner=learner,
            lesson=lesson,
            text="I interrupt when I am anxious.",
            updated_at=at(1, 9),
        ),
        JournalEntryFactory(
            learner=learner,
            lesson=lesson,
            action=True,
            text="Let the team speak first at huddles.",
            updated_at=at(2, 9),
        ),
    ]
    theirs = JournalEntryFactory(
        learner=other_learner,
        lesson=lesson,
        text="My private worry about my manager.",
        updated_at=at(3, 9),
    )
    return mine, theirs


# Who may see what --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("url", [JOURNAL_URL, MARKDOWN_URL, PDF_URL])
def test_anonymous_visitors_are_sent_to_sign_in(client, home_page, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.django_db
def test_page_shows_only_the_learners_own_entries(client, learner, two_journals):
    mine, theirs = two_journals
    client.force_login(learner)

    response = client.get(JOURNAL_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert entry_headings(html) == ["Listening first", "Listening first"]
    assert "Let the team speak first at huddles." in html
    assert "I interrupt when I am anxious." in html
    assert theirs.text not in html
    assert "private worry" not in html
    assert response["Cache-Control"].startswith("max-age=0")
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_markdown_download_is_exactly_the_learners_own_journal(client, learner, two_journals):
    learner.first_name, learner.last_name = "Sam", "Okafor"
    learner.save()
    client.force_login(learner)

    with mock.patch("django.utils.timezone.now", return_value=at(31, 23, 30)):
        response = client.get(MARKDOWN_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    # 11:30pm UTC on 31 July is already 1 August in the UK.
    assert response["Content-Disposition"] == 'attachment; filename="journal-2025-08-01.md"'
    assert response.content.decode() == (
        "# Learning journal\n"
        "\n"
        "Sam Okafor, downloaded on 1 August 2025.\n"
        "\n"
        "## Relational leadership\n"
        "\n"
        "### Action commitment: Listening first\n"
        "\n"
        "*Last updated 2 July 2025 at 10:00am*\n"
        "\n"
        "> What will you do differently, and by when?\n"
        "\n"
        "Let the team speak first at huddles.\n"
        "\n"
        "**By 30 April 2025**\n"
        "\n"
        "### Reflection: Listening first\n"
        "\n"
        "*Last updated 1 July 2025 at 10:00am*\n"
        "\n"
        "> What did you notice about how you listen?\n"
        "\n"
        "I interrupt when I am anxious.\n"
    )


@pytest.mark.django_db
def test_pdf_download_holds_only_the_learners_own_entries(client, learner, two_journals):
    mine, theirs = two_journals
    client.force_login(learner)

    with mock.patch("django.utils.timezone.now", return_value=at(5)):
        response = client.get(PDF_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="journal-2025-07-05.pdf"'
    data = response.content
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    text = pdf_text(data)
    assert b"(Relational leadership) Tj" in text
    for entry in mine:
        assert f"({entry.text}) Tj".encode() in text
    assert b"By 30 April 2025" in text
    assert theirs.text.encode() not in text
    assert b"private worry" not in text
    assert b"Page 1 of 1" in text


@pytest.mark.django_db
def test_a_programme_lead_sees_only_their_own_empty_journal(client, two_journals, organisation):
    mine, theirs = two_journals
    lead = UserFactory(organisation=organisation)
    lead.groups.add(Group.objects.get(name=PROGRAMME_LEAD))
    client.force_login(lead)

    page = client.get(JOURNAL_URL).content.decode()
    markdown = client.get(MARKDOWN_URL).content.decode()
    pdf = pdf_text(client.get(PDF_URL).content)

    assert "You have not written anything in your journal yet." in page
    assert entry_headings(page) == []
    assert MARKDOWN_URL not in page  # nothing to download
    assert "You have not written anything in your journal yet." in markdown
    assert "##" not in markdown
    for entry in [*mine, theirs]:
        assert entry.text not in page
        assert entry.text not in markdown
        assert entry.text.encode() not in pdf
    assert b"(Listening first" not in pdf


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["download.txt", "download.MD", "download.md.pdf", "download."])
def test_other_formats_are_not_found(client, learner, name):
    client.force_login(learner)

    response = client.get(f"/learn/journal/{name}")

    assert response.status_code == 404


# What the journal shows --------------------------------------------------------------


@pytest.mark.django_db
def test_entries_are_grouped_by_module_newest_first(client, learner, home_page):
    teams = ModulePageFactory(title="Teams that trust")
    cultures = ModulePageFactory(title="Compassionate cultures")
    trust = LessonPageFactory(parent=teams, title="Trust")
    conflict = LessonPageFactory(parent=teams, title="Conflict")
    kindness = LessonPageFactory(parent=cultures, title="Kindness")
    JournalEntryFactory(learner=learner, lesson=trust, updated_at=at(1))
    JournalEntryFactory(learner=learner, lesson=kindness, updated_at=at(2))
    JournalEntryFactory(learner=learner, lesson=conflict, updated_at=at(4))
    # The module and lesson were deleted; the entry keeps their titles.
    JournalEntryFactory(
        learner=learner,
        lesson=None,
        module=None,
        lesson_title="A retired lesson",
        module_title="A retired module",
        updated_at=at(3),
    )
    client.force_login(learner)

    html = client.get(JOURNAL_URL).content.decode()
    markdown = client.get(MARKDOWN_URL).content.decode()

    assert module_headings(html) == [
        "Teams that trust",
        "A retired module",
        "Compassionate cultures",
    ]
    assert entry_headings(html) == ["Conflict", "Trust", "A retired lesson", "Kindness"]
    assert re.findall(r"^##+ (.*)$", markdown, flags=re.MULTILINE) == [
        "Teams that trust",
        "Reflection: Conflict",
        "Reflection: Trust",
        "A retired module",
        "Reflection: A retired lesson",
        "Compassionate cultures",
        "Reflection: Kindness",
    ]


@pytest.mark.django_db
def test_a_renamed_module_keeps_its_entries_together_under_the_newest_title(learner, module):
    lesson = LessonPageFactory(parent=module)
    old = JournalEntryFactory(
        learner=learner, lesson=lesson, module_title="Old name", updated_at=at(1)
    )
    new = JournalEntryFactory(
        learner=learner, lesson=lesson, module_title="New name", updated_at=at(2)
    )

    groups = group_by_module([old, new])

    assert [(g.title, list(g.entries)) for g in groups] == [("New name", [new, old])]


@pytest.mark.django_db
def test_each_kind_shows_its_parts(client, learner, lesson):
    JournalEntryFactory(
        learner=learner,
        lesson=lesson,
        text="Line one.\nLine <two> & more.",
        prompt="What did you “notice”?",
        updated_at=at(1, 13, 5),
    )
    JournalEntryFactory(learner=learner, lesson=lesson, action=True, text="Ask, then wait.")
    JournalEntryFactory(learner=learner, lesson=lesson, cycle=True, observe="")
    client.force_login(learner)

    html = client.get(JOURNAL_URL).content.decode()

    assert ">Reflection</strong>" in html
    assert ">Action commitment</strong>" in html
    assert ">Learning cycle</strong>" in html
    assert "<p>Line one.<br>Line &lt;two&gt; &amp; more.</p>" in html
    assert "What did you “notice”?" in html
    assert "<strong>By 30 April 2025</strong>" in html
    for heading in ["Plan", "Act", "Observe", "Reflect"]:
        assert f'<h4 class="nhsuk-heading-s">{heading}</h4>' in html
    assert "Ask one question at each huddle." in html
    assert "No answer written." in html  # the empty Observe part
    # Stored in UTC, shown in UK time.
    assert (
        'Last updated <time datetime="2025-07-01T14:05:00+01:00">1 July 2025 at 2:05pm</time>'
        in html
    )
    assert f'href="{MARKDOWN_URL}"' in html
    assert f'href="{PDF_URL}"' in html


@pytest.mark.django_db
def test_lesson_is_linked_only_while_it_exists_and_is_live(client, learner, module):
    live = LessonPageFactory(parent=module, title="Still here", slug="still-here")
    unpublished = LessonPageFactory(parent=module, title="Taken down", slug="taken-down")
    deleted = LessonPageFactory(parent=module, title="Gone away", slug="gone-away")
    for lesson in (live, unpublished, deleted):
        JournalEntryFactory(learner=learner, lesson=lesson)
    unpublished.unpublish()
    deleted.delete()
    client.force_login(learner)

    html = client.get(JOURNAL_URL).content.decode()

    assert re.search(r'<a href="[^"]*/still-here/">Still here</a>', html)
    assert "Taken down" in html
    assert "taken-down" not in html
    assert "Gone away" in html
    assert "gone-away" not in html


@pytest.mark.django_db
def test_markdown_and_pdf_keep_learner_text_verbatim(learner, lesson):
    text = "Say “thank you” – often.\n\n# not a heading, <b>not bold</b> & (kept)"
    entry = JournalEntryFactory(learner=learner, lesson=lesson, text=text, updated_at=at(1))
    cycle = JournalEntryFactory(learner=learner, lesson=lesson, cycle=True, updated_at=at(2))
    today = datetime.date(2025, 7, 5)

    markdown = render_markdown([entry, cycle], learner_name="Sam Okafor", today=today)
    pdf = render_pdf([entry, cycle], learner_name="Sam Okafor", today=today, compress=False)

    assert text in markdown
    assert "#### Plan\n\nAsk one question at each huddle.\n" in markdown
    assert "#### Reflect\n\nSilence is not agreement.\n" in markdown
    assert pdf.startswith(b"%PDF-")
    # Curly quotes and the en dash, drawn in the bundled font and read back as themselves.
    assert "Say “thank you” – often." in read_pdf(pdf).text.splitlines()
    # Markup in the learner's text is drawn as text (in runs split at "<" and ">").
    assert (
        b"(# not a heading, <) Tj (b) Tj (>) Tj (not bold) Tj (<) Tj (/b) Tj (> & \\(kept\\)) Tj"
        in pdf
    )
    assert b"(Silence is not agreement.) Tj" in pdf
    assert b"/Author (Sam Okafor)" in pdf
    assert b"/Title (Learning journal)" in pdf


@pytest.mark.django_db
def test_pdf_survives_text_its_font_cannot_show(learner, lesson):
    entry = JournalEntryFactory(
        learner=learner,
        lesson=lesson,
        text="Zażółć gęślą jaźń 😀 中文 \x0b\x1f end " + "word " * 3000,
    )

    pdf = render_pdf([entry], learner_name="Ł", today=datetime.date(2025, 7, 5))

    assert pdf.startswith(b"%PDF-")
    assert b"/Count 1" not in pdf  # the long answer runs over more than one page


# Cost --------------------------------------------------------------------------------


def journal_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(JOURNAL_URL)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.django_db
def test_journal_page_costs_the_same_with_1_or_25_entries(client, learner, home_page):
    modules = [ModulePageFactory() for _ in range(5)]
    lessons = [LessonPageFactory(parent=module) for module in modules for _ in range(5)]
    JournalEntryFactory(learner=learner, lesson=lessons[0])
    client.force_login(learner)
    client.get(JOURNAL_URL)  # warm Wagtail's site and settings caches
    few = journal_queries(client)

    for lesson in lessons[1:]:
        JournalEntryFactory(learner=learner, lesson=lesson)
    assert JournalEntry.objects.filter(learner=learner).count() == 25
    many = journal_queries(client)

    # Session, user, the entries with their lessons, site, site settings and two
    # permission look-ups for the menu: no query per entry for its lesson, link or module.
    assert len(many) == len(few), "\n".join(many)
    assert len(many) <= 7, "\n".join(many)


@pytest.mark.django_db
def test_header_links_to_the_journal_only_when_signed_in(client, learner, home_page):
    link = f'<a class="nhsuk-header__navigation-link" href="{JOURNAL_URL}">Your journal</a>'

    assert link not in client.get("/").content.decode()
    client.force_login(learner)
    assert link in client.get("/").content.decode()
