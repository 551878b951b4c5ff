"""The lesson block that invites learners to take a self-assessment."""

from django.urls import reverse

from tests.assessments.factories import build_instrument, dimension, small_instrument

from .conftest import build_module


def _lesson_with(lesson, *instruments):
    lesson.body = [
        ("rich_text", "<p>Now check your own team.</p>"),
        *[
            ("self_assessment", {"instrument": instrument, "introduction": "Try it now."})
            for instrument in instruments
        ],
    ]
    lesson.save_revision().publish()
    return lesson


def test_a_live_instrument_is_linked_from_the_lesson(signed_in, home_page):
    _programme, _module, (lesson, *_rest) = build_module(home_page, lessons=1)
    instrument = small_instrument()
    _lesson_with(lesson, instrument)

    page = signed_in.get(lesson.url)

    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("assessments:instrument", args=[instrument.slug])}"' in html
    assert instrument.title in html
    assert "Try it now." in html


def test_an_unpublished_instrument_is_left_out(signed_in, home_page):
    _programme, _module, (lesson, *_rest) = build_module(home_page, lessons=1)
    draft = small_instrument(slug="not-yet", title="Not yet ready", publish=False)
    _lesson_with(lesson, draft)

    html = signed_in.get(lesson.url).content.decode()

    assert "Not yet ready" not in html
    assert reverse("assessments:instrument", args=["not-yet"]) not in html


def test_more_self_assessment_blocks_cost_no_more_queries(
    signed_in, home_page, django_assert_max_num_queries
):
    _programme, _module, (one, three) = build_module(home_page, lessons=2)
    instruments = [
        build_instrument(
            slug=f"check-{number}",
            title=f"Check {number}",
            dimensions=[dimension("Trust", rule="sum")],
            sections=[("Trust", [("We trust each other.", "Trust")])],
        )
        for number in range(3)
    ]
    _lesson_with(one, instruments[0])
    _lesson_with(three, *instruments)
    signed_in.get(one.url)
    signed_in.get(three.url)  # warm caches (site root, locale) the same way for both

    with django_assert_max_num_queries(30) as one_block:
        signed_in.get(one.url)
    with django_assert_max_num_queries(len(one_block.captured_queries)):
        signed_in.get(three.url)
