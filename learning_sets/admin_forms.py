"""Forms for the lead's set pages in the Wagtail admin. They validate what a browser
sends; the views hand the cleaned values to `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import IdChoiceField

from .models import LearningSet

NAME_LENGTH = LearningSet._meta.get_field("name").max_length


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        parts = [obj.get_full_name() or obj.email]
        if obj.organisation_id:
            parts.append(str(obj.organisation))
        if obj.job_role:
            parts.append(obj.job_role)
        return ", ".join(parts)


class SetNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the set"),
        max_length=NAME_LENGTH,
        help_text=_("For example, Set 3 or Tuesday set. Members see this name."),
        error_messages={"required": _("Give the set a name.")},
    )


class MoveForm(forms.Form):
    """Put one person in a set, or take them out of every set."""

    NO_SET = "none"

    person = PersonChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose the person to move."),
            "invalid_choice": _("Choose a person from the list."),
        },
    )
    destination = forms.ChoiceField(
        label=_("Move to"),
        error_messages={
            "required": _("Choose the set to move them to."),
            "invalid_choice": _("Choose a set from the list."),
        },
    )

    def __init__(self, *args, people, sets, **kwargs):
        super().__init__(*args, **kwargs)
        self.sets = {str(learning_set.pk): learning_set for learning_set in sets}
        self.fields["person"].queryset = people
        self.fields["destination"].choices = [
            ("", _("Choose a set")),
            *((pk, learning_set.name) for pk, learning_set in self.sets.items()),
            (self.NO_SET, _("No set (take them out of their set)")),
        ]

    def clean_destination(self):
        value = self.cleaned_data["destination"]
        return None if value == self.NO_SET else self.sets[value]


class FacilitatorForm(forms.Form):
    facilitator = PersonChoiceField(
        label=_("Facilitator"),
        queryset=None,
        required=False,
        empty_label=_("No facilitator"),
        help_text=_("A lead of the cohort, or a member of this set."),
        error_messages={"invalid_choice": _("Choose a lead of the cohort or a member of the set.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = choices


class SuggestionForm(forms.Form):
    """What "Create these sets" sends back: which suggestion the lead saw."""

    fingerprint = forms.CharField(max_length=64, min_length=64, widget=forms.HiddenInput)
