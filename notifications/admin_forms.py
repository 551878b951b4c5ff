"""The form a programme lead writes a nudge in (see `nudges.py`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import nudges


def _placeholders_check(text: str) -> None:
    unknown = nudges.unknown_placeholders(text)
    if unknown:
        raise ValidationError(
            _("%(names)s is not a placeholder we can fill in. You can use %(known)s.")
            % {
                "names": ", ".join("{" + name + "}" for name in unknown[:3]),
                "known": ", ".join("{" + name + "}" for name in nudges.PLACEHOLDERS),
            }
        )


class NudgeForm(forms.Form):
    # The chosen learners' ids, as the grid sent them, and this form's own id, which makes
    # sending it twice (a double click) send once.
    learners = forms.CharField(widget=forms.HiddenInput, max_length=nudges.MAX_CHOSEN * 20)
    run = forms.UUIDField(widget=forms.HiddenInput)
    subject = forms.CharField(
        label=gettext_lazy("Subject"),
        max_length=nudges.SUBJECT_MAX,
        error_messages={
            "required": gettext_lazy("Enter a subject"),
            "max_length": gettext_lazy("The subject must be %(limit_value)s characters or fewer"),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=nudges.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        help_text=gettext_lazy(
            "You can use {first_name}, {cohort_name} and {lead_name}: each learner's email "
            "has them filled in. We add a note saying who sent it and how to stop these "
            "messages."
        ),
        error_messages={
            "required": gettext_lazy("Enter a message"),
            "max_length": gettext_lazy("The message must be %(limit_value)s characters or fewer"),
        },
    )

    def clean_subject(self):
        subject = " ".join(self.cleaned_data["subject"].split())
        _placeholders_check(subject)
        return subject

    def clean_message(self):
        message = self.cleaned_data["message"]
        if not message.strip():
            raise ValidationError(_("Enter a message"))
        _placeholders_check(message)
        return message

    def clean_learners(self):
        ids = nudges.parse_ids([self.cleaned_data["learners"]])
        if len(ids) > nudges.MAX_CHOSEN:
            raise ValidationError(
                _("Choose at most %(most)s learners at a time.") % {"most": nudges.MAX_CHOSEN}
            )
        return ids
