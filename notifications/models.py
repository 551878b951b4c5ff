"""Reminders, nudges and the preferences that govern them.

A person who has never changed a preference has no `Preferences` row: the defaults below
apply (every kind on except the weekly summary and the leads' digest). Every email the
site sends on its own initiative is first recorded as a `Reminder`, whose unique
constraint on (person, kind, object, period) is what makes the daily job idempotent: a
second run, or two workers at once, cannot record, and so cannot send, the same
reminder twice.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Kind(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started yet")
    GONE_QUIET = "gone_quiet", _("A module you have not opened for a while")
    COMMITMENT_DUE = "commitment_due", _("Action commitments due")
    TEAM_WAITING = "team_waiting", _("Teams waiting for your answers")
    MEETING_TOMORROW = "meeting_tomorrow", _("Learning set meetings tomorrow")
    NUDGE = "nudge", _("Messages from your programme leads")
    WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary")
    LEAD_DIGEST = "lead_digest", _("Weekly digest of your cohorts (programme leads)")


# The kinds a person switches on or off one by one, with their defaults.
DEFAULTS: dict[str, bool] = {
    Kind.NOT_STARTED: True,
    Kind.GONE_QUIET: True,
    Kind.COMMITMENT_DUE: True,
    Kind.TEAM_WAITING: True,
    Kind.MEETING_TOMORROW: True,
    Kind.NUDGE: True,
    Kind.LEAD_DIGEST: False,
}


class Preferences(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    not_started = models.BooleanField(_("not started yet"), default=True)
    gone_quiet = models.BooleanField(_("a module you have not opened for a while"), default=True)
    commitment_due = models.BooleanField(_("action commitments due"), default=True)
    team_waiting = models.BooleanField(_("teams waiting for your answers"), default=True)
    meeting_tomorrow = models.BooleanField(_("learning set meetings tomorrow"), default=True)
    nudge = models.BooleanField(_("messages from your programme leads"), default=True)
    lead_digest = models.BooleanField(_("weekly digest of your cohorts"), default=False)
    # One email a week gathering what is due, instead of one email for each reminder.
    weekly_summary = models.BooleanField(_("a weekly summary instead"), default=False)
    # The secret in the person's calendar feed URL; replacing it revokes the old URL.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"Preferences of {self.person_id}"


class Nudge(models.Model):
    """A message a programme lead sent to learners they chose in a cohort's grid."""

    cohort = models.ForeignKey("cohorts.Cohort", on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=150)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now)
    chosen = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    skipped_switched_off = models.PositiveIntegerField(default=0)
    skipped_recently_nudged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Nudge {self.pk} in cohort {self.cohort_id}"


class Reminder(models.Model):
    """One email the site decided to send one person, once.

    `object_key` names what it is about ("cohort:12", "module:7", "commitment:40",
    "team:3", "meeting:9", "nudge:5", "summary"); `period` says which occurrence
    ("1" and "2" for the first and second not-started reminder, "2026-12" for a month,
    "due" and "overdue", an ISO week such as "2026-W49"). `run` is the job run or request
    that recorded it, so that a run can find exactly the rows it inserted.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    object_key = models.CharField(max_length=64)
    period = models.CharField(max_length=32)
    run = models.UUIDField(db_index=True)
    nudge = models.ForeignKey(
        Nudge, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was recorded but not emailed on its own: "weekly summary", "switched off",
    # "no confirmed address", and so on.
    held_back = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "object_key", "period"], name="one_reminder_each"
            )
        ]
        indexes = [
            models.Index(fields=["person", "kind", "created_at"], name="reminder_person_kind_idx"),
            models.Index(fields=["sent_at", "held_back"], name="reminder_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_key} {self.period} for {self.person_id}"


@register_setting(icon="mail")
class ReminderSettings(BaseSiteSetting):
    gone_quiet_days = models.PositiveSmallIntegerField(
        _("days without activity before a 'gone quiet' reminder"),
        default=21,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("reminder settings")
