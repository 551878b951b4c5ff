"""Facilitator guides: Wagtail pages that tell a facilitator how to run a face-to-face method
(a café conversation, a story circle, an action-learning set and so on).

An index page sits under the home page and holds the guides. Each guide has a purpose, a
timed session plan (whose times are worked out in `guide_plans.py`), the room and
materials, a variation for groups that meet online, and printable worksheets
(`worksheets.py`). Only the people `guide_access.py` names may read them; everyone else
gets a sign-in redirect or "not found", and the guides stay out of sitemaps (the site
search only looks for modules and lessons).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from . import guide_plans
from .worksheets import WORKSHEETS, worksheet_choices

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]
LONG_TEXT_FEATURES = ["h3", *TEXT_FEATURES]


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, help_text=_("A few words, such as “Welcome”."))
    minutes = blocks.IntegerBlock(
        min_value=1,
        max_value=guide_plans.MAX_STEP_MINUTES,
        help_text=_("How long this step takes, breaks included."),
    )
    instructions = blocks.RichTextBlock(features=TEXT_FEATURES)
    materials = blocks.TextBlock(
        required=False, help_text=_("What the step needs, if anything beyond the room.")
    )

    class Meta:
        icon = "time"
        label = _("Step")


class PartBlock(blocks.StructBlock):
    heading = blocks.CharBlock(
        max_length=120, help_text=_("Starts a new session, such as “Workshop 2: Act”.")
    )
    introduction = blocks.TextBlock(required=False)

    class Meta:
        icon = "title"
        label = _("Session heading")


def plan_entries(plan) -> list[guide_plans.Part | guide_plans.Step]:
    """A plan's blocks as `guide_plans` entries, each carrying its block's value."""
    entries: list[guide_plans.Part | guide_plans.Step] = []
    for child in plan:
        if child.block_type == "part":
            entries.append(guide_plans.Part(heading=child.value["heading"], payload=child.value))
        elif child.block_type == "step":
            entries.append(
                guide_plans.Step(
                    title=child.value["title"], minutes=child.value["minutes"], payload=child.value
                )
            )
    return entries


class PlanBlock(blocks.StreamBlock):
    part = PartBlock()
    step = StepBlock()

    class Meta:
        min_num = 1

    def clean(self, value):
        cleaned = super().clean(value)
        problems = guide_plans.plan_problems(plan_entries(cleaned))
        if problems:
            raise blocks.StreamBlockValidationError(
                non_block_errors=ErrorList([ValidationError(problem) for problem in problems])
            )
        return cleaned


class WorksheetBlock(blocks.StructBlock):
    worksheet = blocks.ChoiceBlock(choices=worksheet_choices)
    note = blocks.TextBlock(
        required=False, help_text=_("When to use it in this session (optional).")
    )

    class Meta:
        icon = "doc-full"
        label = _("Worksheet")


class GuideAccessMixin:
    """Serve the page only to people who may read guides (see `guide_access`), and list it
    in no sitemap."""

    def serve(self, request, *args, **kwargs):
        from .guide_access import guide_denial

        denial = guide_denial(request)
        if denial is not None:
            return denial
        return super().serve(request, *args, **kwargs)  # type: ignore[misc]

    def get_sitemap_urls(self, request=None):
        return []


def _may_read_guides(request) -> bool:
    from .guide_access import may_read_guides

    return may_read_guides(request)


class FacilitatorGuideIndexPage(GuideAccessMixin, Page):
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences under the heading.")
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["learning_sets.FacilitatorGuidePage"]
    max_count_per_parent = 1
    template = "learning_sets/guides/facilitator_guide_index_page.html"

    class Meta:
        verbose_name = _("facilitator guides index")

    def route(self, request, path_components):
        """Anything below the index, a guide or not, is answered by the index's own
        refusal for someone who may not read guides: so an anonymous visitor is sent to
        sign in whether or not a guide has that address, and learns nothing from it."""
        if path_components and not _may_read_guides(request):
            return RouteResult(self)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = list(
            FacilitatorGuidePage.objects.child_of(self)
            .live()
            .order_by("path")
            .only("title", "summary", "group_size", "plan", "url_path", "path", "depth")
        )
        return context


class FacilitatorGuidePage(GuideAccessMixin, Page):
    summary = models.CharField(
        _("summary"), max_length=250, help_text=_("One or two sentences for the list of guides.")
    )
    group_size = models.CharField(
        _("group size"), max_length=120, blank=True, help_text=_("Such as “8 to 40 people”.")
    )
    purpose = RichTextField(_("purpose"), features=LONG_TEXT_FEATURES)
    plan = StreamField(
        PlanBlock(),
        verbose_name=_("session plan"),
        help_text=_(
            "The steps in order, each with its time. The total is worked out for you. A "
            "session lasts at most 8 hours; add a session heading to plan a series."
        ),
    )
    room_and_materials = RichTextField(_("room and materials"), features=LONG_TEXT_FEATURES)
    online_variation = RichTextField(_("variation for online groups"), features=LONG_TEXT_FEATURES)
    worksheets = StreamField(
        [("worksheet", WorksheetBlock())],
        blank=True,
        verbose_name=_("worksheets"),
        help_text=_("Printable worksheets that go with this guide."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("group_size"),
        FieldPanel("purpose"),
        FieldPanel("plan"),
        FieldPanel("room_and_materials"),
        FieldPanel("online_variation"),
        FieldPanel("worksheets"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("purpose"),
    ]

    parent_page_types = ["learning_sets.FacilitatorGuideIndexPage"]
    subpage_types: list[str] = []
    template = "learning_sets/guides/facilitator_guide_page.html"

    class Meta:
        verbose_name = _("facilitator guide")

    def timed_plan(self) -> guide_plans.TimedPlan:
        return guide_plans.timed_plan(plan_entries(self.plan))

    def attached_worksheets(self) -> list[tuple]:
        """(worksheet, note) for each attached worksheet that still exists."""
        return [
            (WORKSHEETS[child.value["worksheet"]], child.value["note"])
            for child in self.worksheets
            if child.value["worksheet"] in WORKSHEETS
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["timed_plan"] = self.timed_plan()
        context["worksheets"] = self.attached_worksheets()
        return context
