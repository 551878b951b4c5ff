"""Action-learning sets: small groups inside a cohort, drawn from different organisations,
who meet over time and bring real problems, commitments and check-ins to each other.

Who may see a set, and what of it, is decided in `permissions.py`, which starts from the
cohorts' one visibility rule. Members see what fellow members chose to share; leads and the
facilitator see who is in a set, attendance and counts, never the text (unless they are
members of that set).
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .guides import FacilitatorGuideIndexPage, FacilitatorGuidePage  # noqa: F401 (page models)


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class LearningSet(models.Model):
    cohort = models.ForeignKey(
        "cohorts.Cohort", on_delete=models.CASCADE, related_name="learning_sets"
    )
    name = models.CharField(_("name"), max_length=80)
    # A lead of the cohort, or a member of this set given the facilitator role. Kept valid
    # by the services (a lead who stops leading, or a member who leaves, is unset).
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_sets",
        verbose_name=_("facilitator"),
    )
    # The secret in the set's private calendar feed URL; replacing it revokes the old URL.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "name"], name="learning_set_name_in_cohort")
        ]

    def __str__(self) -> str:
        return self.name


class SetMember(models.Model):
    """A cohort member's place in one set (at most one set per cohort)."""

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="members")
    # Repeats learning_set.cohort so that the database can hold "one set per cohort".
    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_memberships"
    )
    joined_at = models.DateTimeField()
    ground_rules_accepted_at = models.DateTimeField(null=True, blank=True)
    # The problem the member brings to the set; seen by fellow members only.
    challenge = models.TextField(_("the challenge you are bringing"), blank=True)
    challenge_updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cohort", "learner"], name="one_set_per_cohort"),
        ]
        indexes = [models.Index(fields=["learner"], name="set_member_learner_idx")]

    def __str__(self) -> str:
        return f"{self.learner_id} in set {self.learning_set_id}"


class Meeting(models.Model):
    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="meetings")
    # Stored in UTC; entered and shown in Europe/London.
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"),
        default=120,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    # Stable identity and revision number for calendar files (RFC 5545 UID and SEQUENCE).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=480),
                name="meeting_length_in_bounds",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learning_set} at {self.starts_at:%Y-%m-%d %H:%M}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_attendance"
    )
    present = models.BooleanField()
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "learner"], name="one_attendance_each")
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} at meeting {self.meeting_id}"


class SharedCommitment(models.Model):
    """An action commitment a member chose to share with their set: written here, or
    shared item by item from a lesson's commitment block (`journal_entry`). The text is a
    copy, so that later private edits in the journal stay private."""

    learning_set = models.ForeignKey(
        LearningSet, on_delete=models.CASCADE, related_name="commitments"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_commitments"
    )
    journal_entry = models.ForeignKey(
        "modules.JournalEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("what you will do"))
    due_on = models.DateField(_("by when"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "journal_entry"],
                condition=Q(journal_entry__isnull=False),
                name="journal_entry_shared_once_per_set",
            )
        ]
        indexes = [
            models.Index(fields=["learning_set", "learner"], name="shared_commitment_member_idx")
        ]

    def __str__(self) -> str:
        return f"Commitment {self.pk} of {self.learner_id} in set {self.learning_set_id}"


class CheckIn(models.Model):
    """A member's check-in on one of their shared commitments, usually at a meeting: how it
    went, as one turn of Plan, Act, Observe, Reflect."""

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        PARTLY = "partly", _("Partly")
        NOT_YET = "not_yet", _("Not yet")

    commitment = models.ForeignKey(
        SharedCommitment, on_delete=models.CASCADE, related_name="check_ins"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="check_ins"
    )
    status = models.CharField(_("how it went"), max_length=16, choices=Status.choices)
    acted = models.TextField(_("what you did"), blank=True)
    observed = models.TextField(_("what you noticed"), blank=True)
    reflected = models.TextField(_("what you learned"), blank=True)
    next_plan = models.TextField(_("what you will try next"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "meeting"],
                condition=Q(meeting__isnull=False),
                name="one_check_in_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: commitment {self.commitment_id}"
