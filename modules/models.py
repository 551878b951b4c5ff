"""Programmes, modules and lessons (Wagtail pages), and what learners write in lessons.

Page models are declarations: fields, panels, page-type rules and search fields. Reading
a learner's answers or walking the tree is done in `selectors.py`, the lesson guard and
the lesson's context in `lessons.py`, saving answers in `services.py`. Those modules
import these models, so the page methods import them when they are called.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonBodyBlock


def _route_to_child(parent: Page, child_type: type[Page], request, path_components):
    """`Page.route`, for a parent whose children are all of one page type: the child is
    fetched as that type in one query, where Wagtail fetches the page, then its specific
    type. Anything else (no such child) goes to Wagtail's own routing."""
    if path_components:
        child = child_type.objects.child_of(parent).filter(slug=path_components[0]).first()
        if child is not None:
            child._cached_parent_obj = parent  # as Page.route does: get_parent() is free
            return child.route(request, path_components[1:])
    return Page.route(parent, request, path_components)


class ProgrammePage(Page):
    """A theme such as "Systems and relational leadership", holding modules."""

    summary = models.TextField(_("summary"), help_text=_("One or two sentences for listings."))
    introduction = RichTextField(
        _("introduction"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ul"]
    )

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("introduction")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("introduction"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["modules.ModulePage"]

    class Meta:
        verbose_name = _("programme")

    def route(self, request, path_components):
        return _route_to_child(self, ModulePage, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import programme_modules, programme_progress_for_learner

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = programme_modules(self)
        context["listings"] = programme_progress_for_learner(
            learner=request.user, modules=context["modules"]
        )
        return context


class ModuleTag(TaggedItemBase):
    content_object = ParentalKey(
        "modules.ModulePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ModulePage(Page):
    """A module: an overview page whose children are its lessons, in tree order."""

    summary = models.TextField(_("summary"))
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Outcome"), max_length=300))],
        verbose_name=_("learning outcomes"),
        help_text=_("What a learner will be able to do by the end, one per line."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=30)
    audience = models.CharField(
        _("audience"), max_length=250, blank=True, help_text=_("Who this module is for.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt_text = models.CharField(
        _("image text alternative"),
        max_length=250,
        blank=True,
        help_text=_("Leave blank only if the image is decorative."),
    )
    tags = ClusterTaggableManager(through=ModuleTag, blank=True, verbose_name=_("topics"))
    prerequisites = ParentalManyToManyField(
        "modules.ModulePage",
        blank=True,
        symmetrical=False,
        related_name="required_by",
        verbose_name=_("prerequisite modules"),
        help_text=_("Modules a learner is advised to finish first."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("audience"), FieldPanel("tags")],
            heading=_("About this module"),
        ),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt_text")], heading=_("Image")),
        FieldPanel("prerequisites"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes"),
        index.SearchField("audience"),
        index.FilterField("estimated_minutes"),
    ]

    parent_page_types = ["modules.ProgrammePage"]
    subpage_types = ["modules.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def route(self, request, path_components):
        return _route_to_child(self, LessonPage, request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_lessons, module_progress_for_learner

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = module_lessons(self)
        context["progress"] = module_progress_for_learner(
            learner=request.user, module=self, lessons=context["lessons"]
        )
        context["prerequisites"] = self.prerequisites.live().only("title", "url_path", "path")
        return context


class LessonPage(Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=10)

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    parent_page_types = ["modules.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from . import lessons

        navigation = lessons.lesson_navigation(self)
        if refusal := lessons.lesson_refusal(request, self, navigation, routed=True):
            return lessons.refusal_response(request, refusal)
        if request.method == "GET":
            lessons.visit_record(request, self, navigation.module)
        return super().serve(request, *args, navigation=navigation, **kwargs)

    def get_context(self, request, *args, bound_forms=None, navigation=None, **kwargs):
        from .lessons import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request, self, bound_forms, navigation))
        return context


# What learners write -----------------------------------------------------------------
#
# Every answer belongs to one learner and is read only by them. Answers point at the
# lesson with SET_NULL and keep a copy of the lesson and module titles and the prompt as
# it was answered, so that unpublishing, editing, moving or deleting content never loses
# what a learner wrote (DESIGN rule 3). `block_id` is the StreamField block's id: unique
# across the site, stable when the rest of the page is edited.


class LearnerAnswer(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    block_id = models.CharField(max_length=64)
    lesson_title = models.CharField(max_length=255)
    module_title = models.CharField(max_length=255)

    class Meta:
        abstract = True


class JournalEntry(LearnerAnswer):
    """A reflection, an action commitment or a learning-cycle entry: the learner's journal."""

    class Kind(models.TextChoices):
        REFLECTION = "reflection", _("Reflection")
        ACTION = "action_commitment", _("Action commitment")
        LEARNING_CYCLE = "learning_cycle", _("Learning cycle")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    prompt = models.TextField()
    text = models.TextField(blank=True)
    due_on = models.DateField(null=True, blank=True)
    plan = models.TextField(blank=True)
    act = models.TextField(blank=True)
    observe = models.TextField(blank=True)
    reflect = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "block_id"], name="journal_entry_one_per_block"
            )
        ]
        indexes = [models.Index(fields=["learner", "-updated_at"], name="journal_learner_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.lesson_title}"


class ChecklistProgress(LearnerAnswer):
    """Which items of a checklist block the learner has ticked (item ids)."""

    ticked = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("checklist progress")
        verbose_name_plural = _("checklist progress")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "block_id"], name="checklist_progress_one_per_block"
            )
        ]

    def __str__(self) -> str:
        return f"{len(self.ticked)} ticked: {self.lesson_title}"


class KnowledgeCheckAttempt(LearnerAnswer):
    """One attempt at a knowledge check: the options chosen (item ids) and the outcome."""

    selected = models.JSONField(default=list)
    is_correct = models.BooleanField()
    # A key rendered into the form, so that a double click or a resubmitted form records
    # one attempt, not two.
    attempt_key = models.UUIDField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("knowledge check attempt")
        indexes = [
            models.Index(fields=["learner", "block_id", "-created_at"], name="kc_attempt_latest")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "attempt_key"], name="kc_attempt_once_per_key"
            )
        ]

    def __str__(self) -> str:
        outcome = "right" if self.is_correct else "not right"
        return f"Attempt ({outcome}): {self.lesson_title}"


# Progress ------------------------------------------------------------------------------
#
# A learner's progress is recorded once and read cheaply: `LessonCompletion` rows are the
# facts; `Enrolment` carries the summary (how many of the module's live lessons are
# complete, when the module was completed) that services keep up to date in the same
# transaction as each completion. Pages point at content with SET_NULL and keep copies of
# titles, so unpublishing, moving or deleting content never deletes progress (rule 3).


class Enrolment(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module_title = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_visited_at = models.DateTimeField(null=True, blank=True)
    # The summary: live lessons in the module, and how many of them this learner has
    # completed, as of the last completion or content change.
    lessons_total = models.PositiveIntegerField(default=0)
    lessons_completed = models.PositiveIntegerField(default=0)
    # Seconds measured in the browser on this module's lessons, capped per visit.
    seconds_on_page = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "module"], name="enrolment_once_per_module")
        ]
        indexes = [
            models.Index(fields=["learner", "-last_visited_at"], name="enrolment_learner_recent"),
            models.Index(fields=["module", "completed_at"], name="enrolment_module_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} in {self.module_title}"

    @property
    def percent_complete(self) -> int:
        if not self.lessons_total:
            return 100 if self.completed_at else 0
        return min(100, round(100 * self.lessons_completed / self.lessons_total))

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class LessonCompletion(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(
        LessonPage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lesson_title = models.CharField(max_length=255)
    completed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson"], name="lesson_completion_once_per_lesson"
            )
        ]
        indexes = [models.Index(fields=["learner", "module"], name="completion_learner_module")]

    def __str__(self) -> str:
        return f"{self.learner_id} completed {self.lesson_title}"


# Certificates --------------------------------------------------------------------------
#
# A certificate is a snapshot taken when a module is completed: the learner's name, the
# module's title and estimated time, and the completion date as they were then. The PDF
# is rendered from the snapshot on request (see `certificates.py`), so no file holding
# personal data sits in MEDIA. Regenerating refreshes the snapshot and keeps the code.


class Certificate(models.Model):
    # SET_NULL: erasing a learner keeps the row without their name, so that the public
    # verification page can say the certificate is no longer available (not "not found").
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    enrolment = models.OneToOneField(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="certificate"
    )
    module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    module_title = models.CharField(max_length=255)
    learner_name = models.CharField(max_length=255, blank=True)
    completed_at = models.DateTimeField()
    estimated_minutes = models.PositiveIntegerField(default=0)
    # Random, at least 80 bits (see `certificates.new_code`): stored without separators,
    # shown to people in groups.
    code = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField()
    regenerated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "module"], name="certificate_once_per_module"
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_name or 'Withdrawn'}: {self.module_title}"

    @property
    def is_withdrawn(self) -> bool:
        """Its learner erased their account: the code stays known, the name is gone."""
        return self.learner_id is None
