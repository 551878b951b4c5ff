"""Self-assessment instruments, learners' responses and their stored scores, and teams.

`Instrument` is a Wagtail snippet with drafts, revisions and preview; its definition lives in
three StreamFields (see `blocks.py`) and is scored by the pure `scoring.py`. A `Response`
is one attempt by one learner: a draft while they answer, then submitted, pinned to the
revision it was answered on, with the scores computed at that moment stored beside it, so
that publishing a new revision never changes a past result.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import DraftStateMixin, PreviewableMixin, RevisionMixin
from wagtail.search import index

from . import definitions, scoring
from .blocks import CompositeBlock, DimensionBlock, ItemBlock, ScaleOptionBlock, SectionBlock


class InstrumentQuerySet(models.QuerySet):
    def live(self):
        return self.filter(live=True)


class Instrument(PreviewableMixin, DraftStateMixin, RevisionMixin, index.Indexed, models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual: each learner sees their own results")
        TEAM = "team", _("Team: members answer alone and see their team's combined results")

    title = models.CharField(_("title"), max_length=120)
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("The last part of its web address.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.INDIVIDUAL)
    summary = models.CharField(
        _("summary"), max_length=250, help_text=_("One or two sentences for listings.")
    )
    introduction = RichTextField(
        _("introduction"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )
    show_ranking = models.BooleanField(
        _("show a ranked top five"),
        default=False,
        help_text=_("For strengths profiles: list the five highest-scoring dimensions first."),
    )
    scale = StreamField(
        [("option", ScaleOptionBlock())],
        verbose_name=_("answer scale"),
        min_num=2,
        max_num=scoring.MAX_SCALE_OPTIONS,
        help_text=_("The answers every question offers, in the order they are shown."),
    )
    dimensions = StreamField(
        [("dimension", DimensionBlock())],
        verbose_name=_("dimensions"),
        min_num=1,
        max_num=40,
    )
    composites = StreamField(
        [("composite", CompositeBlock())],
        verbose_name=_("combined scores"),
        blank=True,
        default=list,
        max_num=20,
        help_text=_(
            "Optional: scores that combine several dimensions, such as a total, with bands "
            "of their own. Shown after the dimensions in results and team reports."
        ),
    )
    items = StreamField(
        [("section", SectionBlock()), ("item", ItemBlock())],
        verbose_name=_("questions"),
        min_num=1,
        help_text=_("Each section starts a new page of questions."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="instrument")

    objects = InstrumentQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("title"),
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("summary"),
                FieldPanel("estimated_minutes"),
            ],
            heading=_("About"),
        ),
        FieldPanel("introduction"),
        FieldPanel("scale"),
        FieldPanel("dimensions"),
        FieldPanel("composites"),
        FieldPanel("show_ranking"),
        FieldPanel("items"),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessments:instrument", kwargs={"slug": self.slug})

    @property
    def revisions(self):
        return self._revisions

    @property
    def is_team(self) -> bool:
        return self.kind == self.Kind.TEAM

    def questionnaire(self) -> definitions.Questionnaire:
        return definitions.build(self)

    def clean(self):
        super().clean()
        questionnaire = self.questionnaire()
        errors: dict[str, list[str]] = {}
        for number, name in questionnaire.unknown_dimensions:
            errors.setdefault("items", []).append(
                _(
                    "Question %(number)s names the dimension “%(name)s”, which is not one of "
                    "this instrument's dimensions."
                )
                % {"number": number, "name": name}
            )
        for name, part in questionnaire.unknown_parts:
            errors.setdefault("composites", []).append(
                _(
                    "%(name)s: “%(part)s” is not one of this instrument's dimensions. A "
                    "combined score can combine dimensions only."
                )
                % {"name": name, "part": part}
            )
        for problem in scoring.problems(questionnaire.definition):
            if problem.part == "items" and questionnaire.unknown_dimensions:
                continue  # already said, with the name
            if problem.code == "unknown_part" and questionnaire.unknown_parts:
                continue  # already said, with the name
            errors.setdefault(problem.part, []).append(problem.message)
        if errors:
            raise ValidationError(errors)

    def get_preview_template(self, request, mode_name):
        return "assessments/instrument_preview.html"

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["questionnaire"] = self.questionnaire()
        return context


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Response.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=Response.Status.DRAFT)

    def anonymised(self):
        """Kept without their learner, for aggregates (see `Response.anonymised_at`)."""
        return self.filter(anonymised_at__isnull=False, learner__isnull=True)

    def of(self, learner):
        """Only `learner`'s own responses: the rule for every learner-facing query."""
        if not learner.is_authenticated:
            return self.none()
        return self.filter(learner=learner)


class Response(models.Model):
    """One attempt at an instrument by one learner."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        SUBMITTED = "submitted", _("Submitted")

    # SET_NULL: erasing a learner keeps their anonymous scores, so aggregates stay true.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="assessment_responses",
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    # The revision the learner answered; set at submission.
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    shared_with_leads = models.BooleanField(
        _("share with my cohort leads"),
        default=False,
        help_text=_("Leads of cohorts you belong to may see this result."),
    )
    # Set when the learner erased their account and this submitted response was kept,
    # without them, because it counts in a team's or a cohort's aggregate results. With
    # `team` set it still counts in that team's report (`team_reports.counted_responses`).
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-started_at"]
        constraints = [
            # One attempt in progress per learner, instrument and team (or no team).
            models.UniqueConstraint(
                fields=["learner", "instrument"],
                condition=Q(status="draft", team__isnull=True),
                name="one_draft_per_learner_instrument",
            ),
            models.UniqueConstraint(
                fields=["learner", "instrument", "team"],
                condition=Q(status="draft", team__isnull=False),
                name="one_draft_per_learner_team",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, revision__isnull=False),
                name="submitted_response_is_pinned",
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "instrument", "status"], name="response_learner_idx"),
            models.Index(fields=["team", "status"], name="response_team_idx"),
        ]

    def __str__(self):
        return f"{self.instrument_id} response {self.pk}"

    def get_absolute_url(self) -> str:
        if self.is_submitted:
            return reverse("assessments:result", kwargs={"pk": self.pk})
        return reverse("assessments:question_page", kwargs={"pk": self.pk, "section": 1})

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # The question's StreamField block id, stable across revisions.
    item_key = models.CharField(max_length=64)
    value = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item_key"], name="one_answer_per_item")
        ]

    def __str__(self):
        return f"{self.item_key}={self.value}"


class DimensionScore(models.Model):
    """A dimension's score in a submitted response, as computed at submission."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="scores")
    dimension_key = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    raw_score = models.DecimalField(max_digits=10, decimal_places=4)
    scaled_score = models.DecimalField(max_digits=10, decimal_places=4)
    minimum = models.DecimalField(max_digits=10, decimal_places=4)
    maximum = models.DecimalField(max_digits=10, decimal_places=4)
    band_label = models.CharField(max_length=80, blank=True)
    band_index = models.PositiveSmallIntegerField(null=True, blank=True)
    # A combined score (such as a total) over dimensions, rather than a dimension.
    is_composite = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "dimension_key"], name="one_score_per_dimension"
            )
        ]
        indexes = [models.Index(fields=["dimension_key"], name="dimension_score_key_idx")]

    def __str__(self):
        return f"{self.name}: {self.scaled_score}"


class Team(models.Model):
    """A named group whose members answer a team instrument and see only aggregates."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("team name"), max_length=80)
    join_code = models.CharField(max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    code_expires_at = models.DateTimeField(_("join link expires"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("most members"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(500)],
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="TeamMembership", related_name="assessment_teams"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assessments:team", kwargs={"pk": self.pk})


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "learner"], name="one_membership_per_team")
        ]

    def __str__(self):
        return f"{self.learner_id} in {self.team_id}"
