"""The shipped facilitator guides: every method the issue names has a guide with every
part, a plausible timed plan and worksheets that exist; seeding publishes them once."""

import re

import pytest
from django.utils.html import strip_tags

from learning_sets import guide_plans
from learning_sets.guide_demo import (
    GuideContentError,
    load_guides,
    load_index,
    parse_guide,
    seed_guides,
)
from learning_sets.guides import FacilitatorGuideIndexPage, FacilitatorGuidePage
from learning_sets.worksheets import WORKSHEETS
from tests.cohorts.factories import make_lead

REQUIRED_GUIDES = {
    "cafe-conversation",
    "story-circles",
    "walking-pairs",
    "closing-circle",
    "commitment-wall",
    "reflecting-in-pairs",
    "action-learning-set",
    "three-workshop-series",
}
WORDS = re.compile(r"[A-Za-z’']+")


def words(html: str) -> int:
    return len(WORDS.findall(strip_tags(html)))


GUIDES = load_guides()


def test_every_method_the_issue_names_has_a_guide():
    assert {guide.slug for guide in GUIDES} == REQUIRED_GUIDES
    assert len({guide.fields["title"] for guide in GUIDES}) == len(GUIDES)
    assert load_index()["title"] == "Facilitator guides"


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_each_guide_has_every_part(guide):
    fields = guide.fields
    assert 20 <= len(fields["summary"]) <= 250
    assert words(fields["purpose"]) >= 50
    assert words(fields["room_and_materials"]) >= 25
    assert words(fields["online_variation"]) >= 25
    steps = [block["value"] for block in fields["plan"] if block["type"] == "step"]
    assert len(steps) >= 4
    assert all(words(step["instructions"]) >= 3 for step in steps)
    assert fields["worksheets"], "every guide offers at least one worksheet"
    assert all(block["value"]["worksheet"] in WORKSHEETS for block in fields["worksheets"])


@pytest.mark.parametrize("guide", GUIDES, ids=lambda guide: guide.slug)
def test_each_plan_has_a_plausible_total_time(guide):
    plan = guide_plans.timed_plan(guide.entries)

    assert guide_plans.plan_problems(guide.entries) == []
    assert all(1 <= step.minutes <= 60 for step in plan.steps)
    for session in plan.sessions:
        assert 15 <= session.minutes <= 240, (session.heading, session.minutes)


def test_the_series_maps_its_three_workshops_onto_the_cycle():
    series = next(guide for guide in GUIDES if guide.slug == "three-workshop-series")
    plan = guide_plans.timed_plan(series.entries)
    headings = [session.heading for session in plan.sessions]

    assert len(headings) == 3
    assert [heading.split(":")[0] for heading in headings] == [
        "Workshop 1",
        "Workshop 2",
        "Workshop 3",
    ]
    text = " ".join(headings)
    for stage in ("Plan", "Act", "Observe", "Reflect"):
        assert stage in text
    assert {block["value"]["worksheet"] for block in series.fields["worksheets"]} == set(WORKSHEETS)


def test_the_action_learning_set_guide_covers_roles_questioning_and_time_keeping():
    guide = next(guide for guide in GUIDES if guide.slug == "action-learning-set")
    purpose = strip_tags(guide.fields["purpose"])

    for role in ("Presenter", "Set members", "Facilitator", "Time-keeper"):
        assert role in purpose
    assert "questions" in purpose.lower()


def test_a_guide_file_missing_a_part_or_naming_an_unknown_worksheet_is_refused():
    with pytest.raises(GuideContentError, match="missing online_variation"):
        parse_guide(
            {
                "title": "T",
                "slug": "t",
                "summary": "S",
                "purpose": "P",
                "room_and_materials": "R",
            },
            source="t.toml",
        )
    complete = {
        "title": "T",
        "slug": "t",
        "summary": "S",
        "purpose": "P",
        "room_and_materials": "R",
        "online_variation": "O",
    }
    with pytest.raises(GuideContentError, match="unknown worksheet"):
        parse_guide({**complete, "worksheets": [{"key": "nope"}]}, source="t.toml")
    with pytest.raises(GuideContentError, match="plan step 1 needs 'minutes'"):
        parse_guide({**complete, "plan": [{"title": "x", "instructions": "y"}]})


@pytest.mark.django_db
def test_seeding_publishes_the_index_and_every_guide_once(client, home_page):
    logged: list[str] = []

    index = seed_guides(logged.append)
    seed_guides(logged.append)  # again: nothing new

    assert index.get_parent().specific == home_page
    assert FacilitatorGuideIndexPage.objects.count() == 1
    guides = FacilitatorGuidePage.objects.child_of(index).live()
    assert {guide.slug for guide in guides} == REQUIRED_GUIDES
    assert len(logged) == 1 + len(REQUIRED_GUIDES)
    # Block ids are stable, so a reseed from scratch gives the same ids.
    assert GUIDES[0].fields["plan"][0]["id"] == load_guides()[0].fields["plan"][0]["id"]

    client.force_login(make_lead())
    for guide in guides:
        response = client.get(guide.url)
        assert response.status_code == 200, guide.slug
        total = guide.timed_plan().total_minutes
        assert f'data-total-minutes="{total}"' in response.content.decode()


@pytest.mark.django_db
def test_seeding_keeps_an_editors_changes(home_page):
    index = seed_guides(lambda message: None)
    guide = FacilitatorGuidePage.objects.get(slug="walking-pairs")
    guide.summary = "Our own summary."
    guide.save_revision().publish()

    seed_guides(lambda message: None)

    guide.refresh_from_db()
    assert guide.summary == "Our own summary."
    assert FacilitatorGuidePage.objects.child_of(index).count() == len(REQUIRED_GUIDES)
