"""Notifications: a person's email preferences, the reminders recorded for them, and the
nudges they sent as a lead.

Registered from `NotificationsConfig.ready`, after every app whose data a reminder names,
so its erasure runs first (dependents first); see `accounts.privacy` for the contract.
"""

from __future__ import annotations

from typing import Any

from accounts.privacy import Claim, Provider, iso

from .models import Nudge, Preferences, Reminder


class NotificationsPrivacy(Provider):
    section = "notifications"
    claims = (
        Claim(
            model="notifications.Preferences",
            fields=(
                "person",
                "not_started",
                "gone_quiet",
                "commitment_due",
                "team_waiting",
                "meeting_tomorrow",
                "nudge",
                "lead_digest",
                "weekly_summary",
                "calendar_token",
            ),
            purpose="Which reminder emails the person wants, whether as one weekly summary, "
            "and the secret in their personal calendar feed's address.",
            visible_to="The person; site admins.",
            retention="While the account exists.",
            erasure="Deleted.",
        ),
        Claim(
            model="notifications.Reminder",
            fields=("person", "kind", "object_key", "period", "created_at", "sent_at"),
            purpose="Each reminder the site decided to email the person, so that it is "
            "never sent twice, and whether and when it was sent.",
            visible_to="The person (in their data download); site admins.",
            retention="While the account exists.",
            erasure="Deleted.",
        ),
        Claim(
            model="notifications.Nudge",
            fields=("sent_by",),
            purpose="Which lead wrote a message to learners of a cohort.",
            visible_to="The cohort's leads; site admins. Learners see the message, not "
            "this record.",
            retention="While the cohort exists.",
            erasure="The message stays with the cohort, no longer linked to them.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        preferences = Preferences.objects.filter(person=user).first()
        return {
            "preferences": (
                {
                    "not_started": preferences.not_started,
                    "gone_quiet": preferences.gone_quiet,
                    "commitment_due": preferences.commitment_due,
                    "team_waiting": preferences.team_waiting,
                    "meeting_tomorrow": preferences.meeting_tomorrow,
                    "nudge": preferences.nudge,
                    "lead_digest": preferences.lead_digest,
                    "weekly_summary": preferences.weekly_summary,
                    "updated_at": iso(preferences.updated_at),
                }
                if preferences
                else None
            ),
            "reminders": [
                {
                    "kind": reminder.kind,
                    "about": reminder.object_key,
                    "period": reminder.period,
                    "recorded_at": iso(reminder.created_at),
                    "sent_at": iso(reminder.sent_at),
                    "held_back": reminder.held_back,
                }
                for reminder in Reminder.objects.filter(person=user).order_by("created_at", "pk")
            ],
            "nudges_sent": [
                {
                    "cohort": nudge.cohort_id,
                    "subject": nudge.subject,
                    "message": nudge.message,
                    "sent_at": iso(nudge.created_at),
                }
                for nudge in Nudge.objects.filter(sent_by=user).order_by("created_at", "pk")
            ],
        }

    def erase(self, user) -> None:
        Reminder.objects.filter(person=user).delete()
        Preferences.objects.filter(person=user).delete()
        Nudge.objects.filter(sent_by=user).update(sent_by=None)
