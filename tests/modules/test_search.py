"""Searching published modules and lessons.

Wagtail's database search backend indexes a page when it is saved (through a signal and
a task that the test settings run immediately), so no `update_index` is needed here.
"""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from modules.search_views import search_terms
from tests.modules.factories import LessonPageFactory, ModulePageFactory, ProgrammePageFactory

SEARCH_URL = "/learn/search/"


def result_titles(html: str) -> list[str]:
    return [
        unescape(title)
        for title in re.findall(
            r'<h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-1"><a href="[^"]*">(.*?)</a></h3>',
            html,
        )
    ]


def search(client, q, **params):
    response = client.get(SEARCH_URL, {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def tree(home_page):
    programme = ProgrammePageFactory(title="Systems leadership")
    module = ModulePageFactory(
        parent=programme,
        title="Compassionate cultures",
        slug="compassionate-cultures",
        summary="How kindness spreads through a team like ripples on a millpond.",
    )
    published = LessonPageFactory(
        parent=module,
        title="Noticing distress",
        slug="noticing-distress",
        body=[("rich_text", "<p>Watch for the quiet colleague at the kettle.</p>")],
    )
    draft = LessonPageFactory(
        parent=module,
        title="Kettle conversations draft",
        slug="kettle-draft",
        live=False,
        body=[("rich_text", "<p>Half-written notes about the kettle and a walrus.</p>")],
    )
    return module, published, draft


@pytest.mark.django_db
def test_empty_query_shows_just_the_form(client, tree):
    html = search(client, "")

    assert '<label class="nhsuk-label nhsuk-label--s" for="id_q">' in html
    assert "Search modules and lessons" in html
    assert result_titles(html) == []
    assert "No results" not in html
    assert client.get(SEARCH_URL).status_code == 200


@pytest.mark.django_db
def test_finds_lessons_by_body_and_modules_by_summary(client, tree):
    module, published, draft = tree

    lesson_html = search(client, "kettle")
    module_html = search(client, "millpond")

    assert result_titles(lesson_html) == ["Noticing distress"]
    assert "Lesson in Compassionate cultures" in lesson_html
    assert f'href="{published.url}"' in lesson_html
    assert "1 result for ‘kettle’" in lesson_html
    assert result_titles(module_html) == ["Compassionate cultures"]
    assert ">Module</p>" in module_html
    assert module.summary in module_html


@pytest.mark.django_db
def test_matches_titles_whatever_the_case(client, tree):
    assert result_titles(search(client, "NOTICING Distress")) == ["Noticing distress"]


@pytest.mark.django_db
def test_misses_show_a_helpful_message(client, tree):
    html = search(client, "zeppelin")

    assert result_titles(html) == []
    assert "No results for ‘zeppelin’" in html
    assert "check the spelling" in html


@pytest.mark.django_db
def test_drafts_and_unpublished_pages_never_appear(client, tree):
    module, published, draft = tree

    assert result_titles(search(client, "walrus")) == []
    assert "Kettle conversations draft" not in search(client, "kettle")

    published.unpublish()
    assert result_titles(search(client, "kettle")) == []


@pytest.mark.django_db
def test_pages_behind_a_view_restriction_never_appear(client, tree):
    module, published, draft = tree
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.LOGIN)

    assert result_titles(search(client, "kettle")) == []
    assert result_titles(search(client, "millpond")) == []


@pytest.mark.django_db
def test_other_page_types_are_not_results(client, home_page):
    ProgrammePageFactory(title="Harbour programme", summary="Lighthouse keeping.")

    assert result_titles(search(client, "lighthouse")) == []


@pytest.mark.django_db
def test_results_are_paginated_ten_to_a_page(client, home_page):
    module = ModulePageFactory(title="Many lessons", summary="Nothing special.")
    for number in range(23):
        LessonPageFactory(
            parent=module,
            title=f"Pelican lesson {number}",
            slug=f"pelican-{number}",
            body=[("rich_text", "<p>All about the pelican.</p>")],
        )

    first = search(client, "pelican")
    third = search(client, "pelican", page=3)

    assert len(result_titles(first)) == 10
    assert "23 results for ‘pelican’" in first
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in first
    assert 'href="?q=pelican&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'aria-current="page">1</a>' in first
    assert len(result_titles(third)) == 3
    assert 'href="?q=pelican&amp;page=2" rel="prev"' in third
    assert 'rel="next"' not in third
    all_titles = set()
    for page in (1, 2, 3):
        all_titles |= set(result_titles(search(client, "pelican", page=page)))
    assert all_titles == {f"Pelican lesson {number}" for number in range(23)}


@pytest.mark.django_db
def test_a_single_page_of_results_has_no_pagination(client, tree):
    assert "nhsuk-pagination" not in search(client, "kettle")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"q": "kettle", "page": "abc"},
        {"q": "kettle", "page": "999"},
        {"q": "kettle", "page": "-1"},
        {"q": "kettle", "page": "0"},
        {"q": "kettle", "page": "1" * 400},
        {"q": "!!! ??? ... ;;;"},
        {"q": '"'},
        {"q": '"kettle\'s" OR (walrus) AND NOT * ^ : -'},
        {"q": "NEAR(kettle distress)"},
        {"q": "a" * 200},
        {"q": "é 中文 😀"},
        {"q": ["kettle", "walrus"]},
    ],
)
def test_odd_input_never_fails(client, tree, params):
    response = client.get(SEARCH_URL, params)

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_nul_byte_in_the_search_is_a_bad_request(client, tree):
    response = client.get(SEARCH_URL, {"q": "kettle\x00"})

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_punctuation_around_words_is_ignored(client, tree):
    assert result_titles(search(client, '"kettle!"')) == ["Noticing distress"]
    assert result_titles(search(client, "(kettle?)")) == ["Noticing distress"]


@pytest.mark.django_db
def test_only_punctuation_finds_nothing_and_says_so(client, tree):
    html = search(client, "?!&")

    assert result_titles(html) == []
    assert "No results for ‘?!&amp;’" in html


@pytest.mark.django_db
def test_a_very_long_query_gets_a_message_next_to_the_field(client, tree):
    html = search(client, "kettle " * 300)

    assert "There is a problem" in html
    assert "Search terms must be 200 characters or fewer" in html
    assert 'href="#id_q"' in html
    assert "<title>Error:" in html
    assert result_titles(html) == []


def test_search_terms_keep_words_only():
    assert search_terms('"Kettle\'s" (walrus) AND -*') == "kettle walrus and"
    assert search_terms("!!!") == ""
    assert search_terms("a") == "a"
    assert search_terms(" ".join(f"w{n}" for n in range(40))).count(" ") == 11


@pytest.mark.django_db
def test_header_has_a_search_form_for_everyone(client, home_page):
    html = client.get("/").content.decode()

    assert '<form class="nhsuk-header__search-form" id="search" action="/learn/search/"' in html
    assert (
        '<label class="nhsuk-label nhsuk-u-visually-hidden" for="search-field">'
        "Search modules and lessons</label>"
    ) in html


def search_queries(client, q) -> tuple[list[str], str]:
    with CaptureQueriesContext(connection) as captured:
        html = search(client, q)
    return [query["sql"] for query in captured.captured_queries], html


@pytest.mark.django_db
def test_a_page_of_results_costs_no_more_with_many_results(client, home_page):
    egrets = ModulePageFactory(title="Egret module", summary="About the egret.")
    LessonPageFactory(parent=egrets, body=[("rich_text", "<p>One egret.</p>")])
    for n in range(3):
        module = ModulePageFactory(title=f"Heron module {n}", summary="About the heron.")
        for _ in range(4):
            LessonPageFactory(parent=module, body=[("rich_text", "<p>Heron facts.</p>")])
    search(client, "heron")  # warm Wagtail's site and settings caches

    few, few_html = search_queries(client, "egret")
    many, many_html = search_queries(client, "heron")

    assert len(result_titles(few_html)) == 2  # a module and a lesson
    assert len(result_titles(many_html)) == 10
    # View restrictions, the count, the page of matches, their specific rows (one query
    # for modules, one for lessons), the lessons' module titles, site and settings:
    # nothing per result.
    assert len(many) <= len(few), "\n".join(many)
    assert len(few) <= 8, "\n".join(few)
