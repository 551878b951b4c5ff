from allauth.account import forms as allauth_forms
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.fields import IdChoiceField

from . import services
from .models import Organisation, User
from .validators import normalise_organisation_name

JOB_ROLE_HELP = _(
    "For example: ward manager, social worker, housing officer, GP partner or volunteer "
    "coordinator."
)


class PlainWordsMixin:
    """allauth's forms in NHS.UK style: sentence-case labels, error messages that say what
    to do, and no placeholder hints in the boxes (they vanish as people type and are
    often misread)."""

    plain_labels: dict = {}
    plain_required: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            if name in self.plain_labels:
                field.label = self.plain_labels[name]
            if name in self.plain_required:
                field.error_messages["required"] = self.plain_required[name]


EMAIL_LABEL = _("Email address")
ENTER_EMAIL = _("Enter your email address.")
NEW_PASSWORD_LABELS = {
    "password1": _("New password"),
    "password2": _("Enter your new password again"),
}
NEW_PASSWORD_REQUIRED = {
    "password1": _("Enter a new password."),
    "password2": _("Enter your new password again."),
}
MFA_CODE_LABEL = _("Code from your authenticator app, or a recovery code")


class LoginForm(PlainWordsMixin, allauth_forms.LoginForm):
    plain_labels = {"login": EMAIL_LABEL, "remember": _("Keep me signed in on this device")}
    plain_required = {"login": ENTER_EMAIL, "password": _("Enter your password.")}


class ChangePasswordForm(PlainWordsMixin, allauth_forms.ChangePasswordForm):
    plain_labels = {"oldpassword": _("Current password"), **NEW_PASSWORD_LABELS}
    plain_required = {"oldpassword": _("Enter your current password."), **NEW_PASSWORD_REQUIRED}


class SetPasswordForm(PlainWordsMixin, allauth_forms.SetPasswordForm):
    plain_labels = NEW_PASSWORD_LABELS
    plain_required = NEW_PASSWORD_REQUIRED


class ResetPasswordForm(PlainWordsMixin, allauth_forms.ResetPasswordForm):
    plain_labels = {"email": EMAIL_LABEL}
    plain_required = {"email": ENTER_EMAIL}


class ResetPasswordKeyForm(PlainWordsMixin, allauth_forms.ResetPasswordKeyForm):
    plain_labels = NEW_PASSWORD_LABELS
    plain_required = NEW_PASSWORD_REQUIRED


class AddEmailForm(PlainWordsMixin, allauth_forms.AddEmailForm):
    plain_labels = {"email": EMAIL_LABEL}
    plain_required = {"email": _("Enter the email address to add.")}


class MFAAuthenticateForm(PlainWordsMixin, mfa_forms.AuthenticateForm):
    plain_labels = {"code": MFA_CODE_LABEL}
    plain_required = {"code": _("Enter the code from your authenticator app.")}


class MFAReauthenticateForm(PlainWordsMixin, mfa_forms.ReauthenticateForm):
    plain_labels = {"code": MFA_CODE_LABEL}
    plain_required = {"code": _("Enter the code from your authenticator app.")}


class ActivateTOTPForm(PlainWordsMixin, totp_forms.ActivateTOTPForm):
    plain_labels = {"code": _("Code from your authenticator app")}
    plain_required = {"code": _("Enter the 6-digit code from your authenticator app.")}


class OrganisationChoiceMixin(forms.Form):
    """Choose an organisation from the list, or propose a new one.

    The chosen or proposed organisation is in `cleaned_data["organisation"]` after
    validation; a proposal is only written by `resolve_organisation()`, so that a form
    that fails validation writes nothing.
    """

    organisation = IdChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.usable(),
        required=False,
        empty_label=_("Choose your organisation"),
        help_text=_("Start typing to find your organisation in the list."),
    )
    new_organisation_name = forms.CharField(
        label=_("Name of your organisation"),
        required=False,
        max_length=400,
        help_text=_("Give its full name. We will add it to the list for others."),
    )
    new_organisation_type = forms.ChoiceField(
        label=_("Type of organisation"),
        required=False,
        choices=[("", _("Choose a type")), *Organisation.Type.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].widget.attrs.update(
            {"data-searchable": "", "data-search-label": _("Search for your organisation")}
        )
        self.fields["new_organisation_name"].widget.attrs["autocomplete"] = "organization"

    def clean_new_organisation_name(self):
        value = self.cleaned_data.get("new_organisation_name", "")
        if not value.strip():
            return ""
        return normalise_organisation_name(value)

    def clean(self):
        cleaned_data = super().clean()
        chosen = cleaned_data.get("organisation")
        proposed = cleaned_data.get("new_organisation_name")
        if "new_organisation_name" in self.errors or "organisation" in self.errors:
            return cleaned_data
        if chosen and proposed:
            self.add_error(
                "new_organisation_name",
                _("Choose an organisation from the list or give a new one, not both."),
            )
        elif not chosen and not proposed:
            self.add_error(
                "organisation",
                _("Choose your organisation, or give its name if it is not in the list."),
            )
        elif proposed:
            existing = Organisation.objects.by_name(proposed).first()
            if existing is not None:
                cleaned_data["organisation"] = existing
            elif not cleaned_data.get("new_organisation_type"):
                self.add_error("new_organisation_type", _("Choose the type of organisation."))
        return cleaned_data

    @property
    def proposes_organisation(self) -> bool:
        return bool(self.data.get(self.add_prefix("new_organisation_name"), "").strip())

    def resolve_organisation(self) -> Organisation:
        """The chosen organisation, or the proposed one (created as pending)."""
        chosen = self.cleaned_data.get("organisation")
        if chosen is not None:
            return chosen
        return services.organisation_propose(
            name=self.cleaned_data["new_organisation_name"],
            type=self.cleaned_data["new_organisation_type"],
        )


class NameAndRoleMixin(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    job_role = forms.CharField(label=_("Job role"), max_length=120, help_text=JOB_ROLE_HELP)

    error_messages_by_field = {
        "first_name": _("Enter your first name."),
        "last_name": _("Enter your last name."),
        "job_role": _("Enter your job role."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.error_messages_by_field.items():
            self.fields[name].error_messages["required"] = message
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_role"].widget.attrs["autocomplete"] = "organization-title"

    def _clean_required_text(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            raise ValidationError(self.error_messages_by_field[name], code="required")
        return value

    def clean_first_name(self):
        return self._clean_required_text("first_name")

    def clean_last_name(self):
        return self._clean_required_text("last_name")

    def clean_job_role(self):
        return self._clean_required_text("job_role")


class SignupForm(PlainWordsMixin, NameAndRoleMixin, OrganisationChoiceMixin, AllauthSignupForm):
    """allauth's sign-up form with the person's name, organisation and job role."""

    field_order = [
        "first_name",
        "last_name",
        "email",
        "organisation",
        "new_organisation_name",
        "new_organisation_type",
        "job_role",
        "password1",
        "password2",
    ]
    plain_labels = {
        "email": EMAIL_LABEL,
        "password1": _("Create a password"),
        "password2": _("Enter the password again"),
    }
    plain_required = {
        "email": ENTER_EMAIL,
        "password1": _("Create a password."),
        "password2": _("Enter the password again."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = _(
            "Use your work email address if you have one. We will send you a link to confirm it."
        )
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.org."
        )
        self.order_fields(self.field_order)

    def save(self, request):
        # One transaction: the proposed organisation, the user, their role and their
        # email address are all written, or none of them is.
        with transaction.atomic():
            return super().save(request)

    def populate_user(self, user: User) -> User:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.job_role = self.cleaned_data["job_role"]
        user.organisation = self.resolve_organisation()
        return user


class ProfileForm(NameAndRoleMixin, OrganisationChoiceMixin):
    field_order = [
        "first_name",
        "last_name",
        "organisation",
        "new_organisation_name",
        "new_organisation_type",
        "job_role",
    ]

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        kwargs["initial"] = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation_id,
            "job_role": user.job_role,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)

    @transaction.atomic
    def save(self) -> User:
        return services.user_profile_update(
            user=self.user,
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data["last_name"],
            organisation=self.resolve_organisation(),
            job_role=self.cleaned_data["job_role"],
        )


class AccountDeleteForm(forms.Form):
    """The last step of "Delete my account": the person says they understand."""

    confirm = forms.BooleanField(
        label=_("I understand that my account will be deleted and that this cannot be undone"),
        error_messages={
            "required": _(
                "Tick the box to confirm that you understand your account will be deleted"
            )
        },
    )
