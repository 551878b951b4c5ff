"""Cohorts: groups of learners from any organisation, run by programme leads.

Which learners a user may see is decided in one place, `permissions.py`; every lead-facing
query starts there.
"""

from collections.abc import Sequence

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.storage import RandomName, private_storage


class Cohort(models.Model):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    # What the cohort works through: whole programmes (every live module in them) and/or
    # single modules.
    programmes = models.ManyToManyField(
        "modules.ProgrammePage", blank=True, related_name="+", verbose_name=_("programmes")
    )
    modules = models.ManyToManyField(
        "modules.ModulePage", blank=True, related_name="+", verbose_name=_("modules")
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="led_cohorts", verbose_name=_("leads")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="cohorts",
        verbose_name=_("members"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    join_code = models.CharField(max_length=16, unique=True)
    code_expires_at = models.DateTimeField(_("join link expires"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("most members"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )
    # Days after joining with nothing opened before the "not started" reminder, and again
    # between the first and the second (notifications).
    reminder_not_started_days = models.PositiveSmallIntegerField(
        _("days before reminding people who have not started"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    # How many people an action-learning set of this cohort holds (learning_sets).
    set_size_min = models.PositiveSmallIntegerField(
        _("fewest people in a learning set"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(12)],
    )
    set_size_max = models.PositiveSmallIntegerField(
        _("most people in a learning set"),
        default=8,
        validators=[MinValueValidator(2), MaxValueValidator(12)],
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="cohort_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(set_size_min__gte=2)
                & Q(set_size_max__lte=12)
                & Q(set_size_max__gte=models.F("set_size_min")),
                name="cohort_set_sizes_in_bounds",
            ),
        ]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def with_progress(self, module_ids: Sequence[int]) -> "MembershipQuerySet":
        """Each membership with its learner's progress in `module_ids` (a cohort's modules),
        aggregated over their enrolments in one grouped query. The one definition of
        "started" and "completed" that the dashboard, the grid and the exports share:

        - `started_count`, `completed_count`: enrolments in those modules, and how many of
          them are completed;
        - `has_started`: an enrolment in any of them;
        - `has_completed`: completed every one of them (never, without modules);
        - `last_activity`: the latest visit to any of them; `seconds_total`: the learning
          time measured on them.
        """
        ids = list(module_ids)
        # An empty `__in` cannot be compiled inside an aggregate's filter; no module is -1.
        in_modules = Q(learner__enrolments__module__in=ids or [-1])
        completed = in_modules & Q(learner__enrolments__completed_at__isnull=False)
        figures = self.annotate(
            started_count=Count("learner__enrolments", filter=in_modules),
            completed_count=Count("learner__enrolments", filter=completed),
            last_activity=Max("learner__enrolments__last_visited_at", filter=in_modules),
            seconds_total=Coalesce(
                Sum("learner__enrolments__seconds_on_page", filter=in_modules), 0
            ),
        )
        return figures.annotate(
            has_started=ExpressionWrapper(Q(started_count__gt=0), output_field=BooleanField()),
            has_completed=(
                ExpressionWrapper(Q(completed_count__gte=len(ids)), output_field=BooleanField())
                if ids
                else Value(False, output_field=BooleanField())
            ),
        )

    def with_module_cells(self, module_ids: Sequence[int]) -> "MembershipQuerySet":
        """With, for each module in `module_ids`, `enrolled_<id>` (1 if the learner has
        started it, else 0) and `completed_<id>` (when they completed it, or None): each
        learner's cells of the grid, in the same grouped query as `with_progress`."""
        annotations = {}
        for module_id in module_ids:
            in_module = Q(learner__enrolments__module=module_id)
            annotations[f"enrolled_{module_id}"] = Count("learner__enrolments", filter=in_module)
            annotations[f"completed_{module_id}"] = Max(
                "learner__enrolments__completed_at", filter=in_module
            )
        return self.annotate(**annotations)


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_memberships"
    )
    joined_at = models.DateTimeField()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="one_membership_per_cohort")
        ]
        indexes = [models.Index(fields=["learner"], name="membership_learner_idx")]

    def __str__(self):
        return f"{self.learner_id} in {self.cohort_id}"


class RetainedResponse(models.Model):
    """A former member's latest self-assessment response, kept in the cohort's aggregates.

    When a member erases their account, their membership goes, and so would their answers
    from the cohort's anonymous figures. `accounts.services.account_erase` keeps their
    latest submitted response to each instrument, without them (`Response.anonymised_at`),
    and records here which cohorts it counted in, so that the dashboard's means and spreads
    stay exactly as they were (`dashboard.latest_responses`). No person is named.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="retained_responses")
    response = models.ForeignKey("assessments.Response", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "response"], name="one_retained_response_per_cohort"
            )
        ]

    def __str__(self):
        return f"{self.response_id} in {self.cohort_id}"


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Neither accepted nor declined, and not yet expired: still waiting for a reply."""
        return self.filter(
            accepted_at__isnull=True,
            declined_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )

    def to_any_of(self, addresses):
        """Sent to one of `addresses` (a list or a `values()` queryset of lower-case
        addresses)."""
        return self.filter(email__in=addresses)


class Invitation(models.Model):
    """An email address invited to a cohort by a lead.

    Only the owner of that address (a signed-in user whose verified email is the same)
    may accept or decline it, and only until it expires; it is used once.
    """

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()  # stored in lower case
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # When the worker handed the invitation's email to the mail server (None: not yet).
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Status(models.TextChoices):
        # Declined and expired look the same to the lead: they learn nothing more.
        WAITING = "waiting", _("Waiting for a reply")
        ACCEPTED = "accepted", _("Accepted")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "email"], name="one_invitation_per_email")
        ]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self):
        return f"{self.email} to {self.cohort_id}"

    def status(self, now=None) -> "Invitation.Status":
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.declined_at is not None or self.expires_at <= (now or timezone.now()):
            return self.Status.NOT_ACCEPTED
        return self.Status.WAITING

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())


EXPORT_FOLDER = "cohort-exports"


class CohortExportQuerySet(models.QuerySet):
    def downloadable(self, *, now):
        """Ready, and not yet past their expiry (the sweep may not have run yet)."""
        return self.filter(status=CohortExport.Status.READY).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )

    def expired(self, *, now, retention):
        """Past their expiry; or with no expiry (failed, pending or running ones whose worker
        is long gone, or made before exports expired) and older than `retention`, a
        timedelta."""
        return self.filter(
            Q(expires_at__lte=now) | Q(expires_at__isnull=True, created_at__lte=now - retention)
        )


class CohortExport(models.Model):
    """A spreadsheet of a cohort's progress, built in the background for large cohorts.

    Deleted (file and row) once `expires_at` has passed, by `manage.py cohort_exports_expire`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(max_length=4, choices=Format)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    # In the private storage under a random name: never where a web server publishes files.
    file = models.FileField(
        storage=private_storage, upload_to=RandomName(EXPORT_FOLDER), blank=True
    )
    rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the file is deleted (`manage.py cohort_exports_expire`); set once it is ready.
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = CohortExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.cohort_id} {self.format} {self.status}"
