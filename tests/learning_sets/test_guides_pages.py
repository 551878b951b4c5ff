"""The facilitator guide pages: where they may live, what a facilitator sees, how the plan
is checked in the editor, the fixed number of queries, and that they stay out of the site
search and sitemaps."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from home.services import site_ensure_home
from learning_sets.guides import FacilitatorGuideIndexPage, FacilitatorGuidePage, PlanBlock
from tests.cohorts.factories import make_lead
from tests.factories import UserFactory, search_index_add

from .conftest_guides import make_guide, make_index, part, step


class GuidePageTreeTests(WagtailPageTestCase):
    def test_the_index_lives_under_the_home_page_and_holds_only_guides(self):
        self.assertAllowedParentPageTypes(FacilitatorGuideIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(FacilitatorGuideIndexPage, {FacilitatorGuidePage})

    def test_guides_live_under_the_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(FacilitatorGuidePage, {FacilitatorGuideIndexPage})
        self.assertAllowedSubpageTypes(FacilitatorGuidePage, set())


class EditorWritesAGuideTests(WagtailPageTestCase):
    def setUp(self):
        self.home = site_ensure_home(title="Lead and learn together")
        self.index = make_index(self.home)
        self.editor = UserFactory(email="editor.person@example.org")
        self.editor.groups.add(Group.objects.get(name="Course editor"))
        self.client.force_login(self.editor)

    def guide_form_data(self, minutes: list[int]):
        return nested_form_data(
            {
                "title": "Walking pairs",
                "slug": "walking-pairs",
                "summary": "Pairs walk and talk.",
                "group_size": "",
                "purpose": rich_text("<p>Turn talk into practice.</p>"),
                "plan": streamfield(
                    [
                        (
                            "step",
                            {
                                "title": f"Step {number}",
                                "minutes": value,
                                "instructions": rich_text("<p>Walk and talk.</p>"),
                                "materials": "",
                            },
                        )
                        for number, value in enumerate(minutes, start=1)
                    ]
                ),
                "room_and_materials": rich_text("<p>Space to walk.</p>"),
                "online_variation": rich_text("<p>Walk with a phone.</p>"),
                "worksheets": streamfield(
                    [("worksheet", {"worksheet": "learning-cycle-log", "note": ""})]
                ),
            }
        )

    def test_an_editor_creates_a_guide_and_its_total_is_worked_out(self):
        self.assertCanCreate(
            self.index, FacilitatorGuidePage, self.guide_form_data([5, 8, 8]), publish=False
        )
        guide = FacilitatorGuidePage.objects.get(slug="walking-pairs")
        self.assertEqual(guide.timed_plan().total_minutes, 21)
        self.assertEqual(guide.attached_worksheets()[0][0].key, "learning-cycle-log")

    def test_a_plan_longer_than_a_working_day_is_refused_with_a_reason(self):
        response = self.client.post(
            reverse(
                "wagtailadmin_pages:add",
                args=["learning_sets", "facilitatorguidepage", self.index.pk],
            ),
            self.guide_form_data([240, 200, 41]),
        )

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A session can last at most 8 hours")
        self.assertFalse(FacilitatorGuidePage.objects.filter(slug="walking-pairs").exists())


def test_the_plan_block_refuses_a_plan_that_breaks_a_limit():
    block = PlanBlock()
    fine = block.to_python([{"type": "step", "value": step("Welcome", 10)[1]}])
    block.clean(fine)

    too_long = block.to_python(
        [{"type": "step", "value": step(f"Step {number}", 240)[1]} for number in range(3)]
    )
    with pytest.raises(StreamBlockValidationError) as refused:
        block.clean(too_long)
    assert "The session takes 12 hours" in str(refused.value.non_block_errors)


@pytest.fixture
def lead(db):
    return make_lead()


def test_a_guide_shows_its_plan_with_times_its_total_and_its_worksheets(client, home_page, lead):
    guide = make_guide(
        make_index(home_page),
        plan=[
            part("Workshop 1: Plan", "The set-up event."),
            step("Welcome", 15, materials="Name badges"),
            step("Stories", 50),
            part("Workshop 2: Act"),
            step("Welcome back", 15),
        ],
    )
    client.force_login(lead)

    html = client.get(guide.url).content.decode()

    assert 'data-total-minutes="80"' in html
    assert "1 hour 20 minutes over 2 sessions" in html
    assert "Workshop 1: Plan (1 hour 5 minutes)" in html  # the session's table caption
    assert '<h4 class="nhsuk-heading-s' in html  # steps sit under their session's heading
    assert "0:15 to 1:05 (50 minutes)" in html
    assert "Name badges" in html
    assert "The set-up event." in html
    assert "Paper tablecloths" in html  # room and materials
    assert "breakout rooms" in html  # the online variation
    for key in ("learning-cycle-log", "partnership-check"):
        assert reverse("learning_sets:worksheet", args=[key]) in html


def test_the_index_lists_live_guides_with_their_total_time(client, home_page, lead):
    index = make_index(home_page)
    make_guide(index, plan=[step("Welcome", 30), step("Talk", 60)])
    make_guide(index, slug="story-circles", title="Story circles (draft)", live=False)
    client.force_login(lead)

    html = client.get(index.url).content.decode()

    assert "Café conversation" in html
    assert "Total time: 1 hour 30 minutes" in html
    assert "Story circles (draft)" not in html


def count_queries(client, url) -> int:
    """The queries of the second of two requests: the first after a change re-reads what
    the change made stale in the cache (the site's settings), as a running site does once."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_a_guide_page_costs_the_same_queries_whatever_the_plan_size(client, home_page, lead):
    index = make_index(home_page)
    small = make_guide(index, slug="small", plan=[step("Welcome", 5)] * 3)
    large = make_guide(
        index,
        slug="large",
        plan=[part("One"), *[step("Step", 5)] * 15, part("Two"), *[step("Step", 5)] * 15],
        worksheets=["learning-cycle-log", "partnership-check", "stakeholder-network-map"],
    )
    client.force_login(lead)

    assert count_queries(client, small.url) == count_queries(client, large.url)


def test_the_index_costs_the_same_queries_whatever_the_number_of_guides(client, home_page, lead):
    index = make_index(home_page)
    make_guide(index, slug="first")
    client.force_login(lead)
    one = count_queries(client, index.url)
    for number in range(5):
        make_guide(index, slug=f"guide-{number}", plan=[step("Step", 5)] * 10)

    assert count_queries(client, index.url) == one


def test_guides_never_appear_in_the_site_search(client, home_page, lead):
    guide = make_guide(make_index(home_page))
    search_index_add(guide)
    assert FacilitatorGuidePage.objects.search("tablecloth").count() == 1  # it is indexed
    client.force_login(lead)

    html = client.get(reverse("modules:search"), {"q": "tablecloth"}).content.decode()

    assert guide.url not in html
    assert guide.title not in html


def test_guides_are_in_no_sitemap(home_page):
    index = make_index(home_page)
    guide = make_guide(index)

    assert index.get_sitemap_urls() == []
    assert guide.get_sitemap_urls() == []
