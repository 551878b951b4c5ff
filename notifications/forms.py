from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Preferences

LEARNER_FIELDS = (
    "not_started",
    "gone_quiet",
    "commitment_due",
    "team_waiting",
    "meeting_tomorrow",
    "nudge",
)
HINTS = {
    "not_started": _("When you have joined a cohort but not opened any of its modules."),
    "gone_quiet": _("When you have not opened a module you started for a few weeks."),
    "commitment_due": _("The day before an action you committed to is due, and if it is overdue."),
    "team_waiting": _("Once a week while your team waits for your self-assessment answers."),
    "meeting_tomorrow": _("The day before your action learning set meets, with a calendar file."),
    "nudge": _("When a lead of one of your cohorts writes to you."),
    "lead_digest": _("Every Monday: how the cohorts you lead are getting on, in numbers."),
    "weekly_summary": _("Instead of one email for each reminder, one email on Mondays."),
}


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = (*LEARNER_FIELDS, "lead_digest", "weekly_summary")
        labels = {
            "not_started": _("Not started yet"),
            "gone_quiet": _("A module you have not opened for a while"),
            "commitment_due": _("Action commitments due"),
            "team_waiting": _("Teams waiting for your answers"),
            "meeting_tomorrow": _("Learning set meetings tomorrow"),
            "nudge": _("Messages from your programme leads"),
            "lead_digest": _("Weekly digest of the cohorts you lead"),
            "weekly_summary": _("Send me one summary a week instead of single reminders"),
        }
        help_texts = HINTS

    def __init__(self, *args, is_lead: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_lead:
            del self.fields["lead_digest"]

    @property
    def kind_fields(self):
        return [self[name] for name in self.fields if name != "weekly_summary"]
