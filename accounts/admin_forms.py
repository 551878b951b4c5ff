"""Forms for the accounts screens in the Wagtail admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from core.fields import IdChoiceField

from .models import Organisation
from .validators import normalise_organisation_name

DUPLICATE_NAME_MESSAGE = _("An organisation with this name already exists.")


def organisation_choice_label(organisation: Organisation) -> str:
    if organisation.is_pending:
        return _("%(name)s (pending review)") % {"name": organisation.name}
    return organisation.name


class OrganisationAdminForm(WagtailAdminModelForm):
    """Create or edit an organisation. Names are unique whatever their case."""

    class Meta:
        model = Organisation
        fields = ["name", "type", "status", "ods_code"]

    def clean_name(self):
        name = normalise_organisation_name(self.cleaned_data.get("name", ""))
        duplicates = Organisation.objects.by_name(name)
        if self.instance.pk is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise ValidationError(DUPLICATE_NAME_MESSAGE, code="unique")
        return name

    def clean_ods_code(self):
        code = (self.cleaned_data.get("ods_code") or "").strip().upper()
        if code and not code.isalnum():
            raise ValidationError(
                _("An ODS code has only letters and numbers, like RR8 or E82001."),
                code="invalid",
            )
        return code


class OrganisationChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return organisation_choice_label(obj)


class MergeTargetChoiceField(OrganisationChoiceField):
    """Any organisation but the one being merged, which is refused with its own message."""

    default_error_messages = {
        "same_organisation": _("An organisation cannot be merged into itself. Choose another one."),
    }

    def __init__(self, *args, source_pk=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_pk = source_pk

    def to_python(self, value):
        if self.source_pk is not None and str(value).strip() == str(self.source_pk):
            raise ValidationError(
                self.error_messages["same_organisation"], code="same_organisation"
            )
        return super().to_python(value)


class OrganisationMergeForm(forms.Form):
    """Choose the organisation that absorbs `source`; a second post confirms the merge."""

    target = MergeTargetChoiceField(
        label=_("Merge into"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        help_text=_("Every member moves to this organisation. It keeps its name and details."),
        error_messages={
            "required": _("Choose the organisation to merge into."),
            "invalid_choice": _(
                "Choose an organisation from the list. It may have been deleted or merged."
            ),
        },
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, source: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        target = self.fields["target"]
        target.source_pk = source.pk
        target.queryset = Organisation.objects.usable().exclude(pk=source.pk)


class OrganisationFieldsMixin(forms.ModelForm):
    """Show and edit a person's organisation and job role in Wagtail's user screens."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.usable(),
        required=False,
        empty_label=_("No organisation"),
    )
    job_role = forms.CharField(label=_("Job role"), max_length=120, required=False)

    def clean_job_role(self):
        return (self.cleaned_data.get("job_role") or "").strip()


class ShownCheckboxInput(forms.CheckboxInput):
    """A checkbox that also posts a marker saying it was on the page.

    An unticked checkbox posts nothing, just like one the page never showed; the marker
    tells them apart, so that a page without the box cannot clear the stored value.
    """

    @staticmethod
    def marker_name(name: str) -> str:
        return f"{name}-shown"

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<input type="hidden" name="{}" value="1">',
            super().render(name, value, attrs, renderer),
            self.marker_name(name),
        )

    def was_shown(self, data, name: str) -> bool:
        return name in data or self.marker_name(name) in data


class ReportingFlagMixin(forms.ModelForm):
    """Leave staff and test accounts out of cohort reports, with one tick."""

    exclude_from_reports = forms.BooleanField(
        label=_("Leave out of reports"),
        required=False,
        widget=ShownCheckboxInput,
        help_text=_(
            "For staff and test accounts: they are not counted or listed in any cohort's "
            "dashboard, report or export."
        ),
    )

    def clean_exclude_from_reports(self):
        name = self.add_prefix("exclude_from_reports")
        if not self.fields["exclude_from_reports"].widget.was_shown(self.data, name):
            return self.instance.exclude_from_reports
        return self.cleaned_data["exclude_from_reports"]


class AdminUserCreationForm(OrganisationFieldsMixin, ReportingFlagMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = [
            *sorted(UserCreationForm.Meta.fields),
            "organisation",
            "job_role",
            "exclude_from_reports",
        ]


class AdminUserEditForm(OrganisationFieldsMixin, ReportingFlagMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = [
            *sorted(UserEditForm.Meta.fields),
            "organisation",
            "job_role",
            "exclude_from_reports",
        ]


# Data requests --------------------------------------------------------------------------

REASON_MAX_LENGTH = 1000


class DataRequestFindForm(forms.Form):
    """Find one person by their exact email address (case does not matter)."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The person's whole address, exactly as they sign in with it."),
        error_messages={
            "required": _("Enter the email address of the person who made the request."),
            "invalid": _("Enter an email address in the correct format, like name@example.org"),
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class DataRequestReasonForm(forms.Form):
    """Why a site admin acts on someone's data: recorded in the audit log."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For the audit log: for example, the date and reference of the request. "
            "Do not write the person's name or address here."
        ),
        error_messages={
            "required": _("Give the reason for this request."),
            "max_length": _("The reason must be %(limit_value)d characters or fewer."),
        },
    )


class DataRequestEraseForm(DataRequestReasonForm):
    """The reason, then a second post that confirms the erasure."""

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
