"""Forms for creating and joining a team. They check what a browser sends; the services
in `services.py` check it again and do the writing."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import forms as core_forms

MAX_TEAM_SIZE = 500


class TeamCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Team name"),
        max_length=80,
        help_text=gettext_lazy("Members see this name when they join, so make it one they know."),
        error_messages={
            "required": gettext_lazy("Enter a name for the team."),
            "max_length": gettext_lazy("Team name must be 80 characters or fewer."),
        },
    )
    # The NHS.UK date input: three boxes, checked together in clean().
    expires_day = forms.CharField(label=gettext_lazy("Day"), required=False)
    expires_month = forms.CharField(label=gettext_lazy("Month"), required=False)
    expires_year = forms.CharField(label=gettext_lazy("Year"), required=False)
    capacity = forms.IntegerField(
        label=gettext_lazy("Most members (optional)"),
        required=False,
        min_value=settings.MIN_GROUP_SIZE,
        max_value=MAX_TEAM_SIZE,
        error_messages={
            "invalid": gettext_lazy("Most members must be a whole number, like 8."),
            "min_value": gettext_lazy(
                "Most members must be %(limit_value)s or more, so the team can see a report."
            ),
            "max_value": gettext_lazy("Most members must be %(limit_value)s or fewer."),
        },
    )

    date_fields = ("expires_day", "expires_month", "expires_year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].help_text = _(
            "Leave this empty for no limit. A team needs at least %(size)s members who answer "
            "before anyone sees its report."
        ) % {"size": settings.MIN_GROUP_SIZE}
        self.fields["capacity"].widget.attrs.update({"inputmode": "numeric"})
        for name in self.date_fields:
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter a name for the team."))
        return name

    def _expiry_date(self) -> datetime.date | None:
        return core_forms.date_from_parts(
            [self.cleaned_data.get(name) or "" for name in self.date_fields],
            what=_("the date the join link expires"),
            required=False,
        )

    def clean(self):
        cleaned = super().clean()
        try:
            expires_on = self._expiry_date()
        except forms.ValidationError as error:
            self.add_error("expires_day", error)
            return cleaned
        cleaned["expires_at"] = None
        if expires_on is not None:
            if expires_on <= timezone.localdate():
                self.add_error(
                    "expires_day", _("The date the join link expires must be in the future.")
                )
                return cleaned
            # The link works to the end of the chosen day, UK time.
            next_day = datetime.datetime.combine(
                expires_on + datetime.timedelta(days=1), datetime.time.min
            )
            cleaned["expires_at"] = timezone.make_aware(next_day)
        return cleaned

    @property
    def date_errors(self):
        return self.errors.get("expires_day", [])


class JoinForm(core_forms.JoinForm):
    """A team's join code (the form itself is shared with cohorts, in `core.forms`)."""

    code_help_text = gettext_lazy(
        "8 letters and numbers, from the person who set up the team. For example, K7MP 3QXR."
    )
