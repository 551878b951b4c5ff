"""The cohort form in the Wagtail admin: what a lead fills in to create or change a cohort.

The form validates and then hands everything to `services.cohort_create` or
`services.cohort_update`; it never saves the model itself.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from accounts.models import User
from accounts.roles import PROGRAMME_LEAD
from core.fields import IdMultipleChoiceField, SensibleDateField
from modules.models import ModulePage, ProgrammePage

from . import services
from .models import Cohort


class LeadChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        full_name = obj.get_full_name()
        if full_name:
            return _("%(name)s (%(email)s)") % {"name": full_name, "email": obj.email}
        return obj.email


def expiry_from_date(day: datetime.date | None) -> datetime.datetime | None:
    """A join link chosen to work "until" a day stops at the end of that day, UK time."""
    if day is None:
        return None
    next_day = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(next_day)


def date_from_expiry(moment: datetime.datetime | None) -> datetime.date | None:
    """The last day on which a join link with this expiry still works, UK time."""
    if moment is None:
        return None
    return (timezone.localtime(moment) - datetime.timedelta(microseconds=1)).date()


SET_SIZE_ERRORS = {
    "required": _("Enter a number of people between 2 and 12."),
    "invalid": _("Enter a whole number of people between 2 and 12."),
    "min_value": _("Enter a number of people between 2 and 12."),
    "max_value": _("Enter a number of people between 2 and 12."),
}


class CohortForm(WagtailAdminModelForm):
    """Create or change a cohort. The person filling it in always stays one of its leads."""

    co_leads = LeadChoiceField(
        label=_("Co-leads"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other programme leads who run this cohort with you and see its learners."),
    )
    join_link_expires = SensibleDateField(
        label=_("Join link works until"),
        required=False,
        widget=AdminDateInput,
        help_text=_(
            "The join link stops working at the end of this day. Leave empty to keep it open."
        ),
    )

    field_order = [
        "name",
        "description",
        "start_date",
        "end_date",
        "programmes",
        "modules",
        "co_leads",
        "join_link_expires",
        "capacity",
        "set_size_min",
        "set_size_max",
    ]

    class Meta:
        model = Cohort
        fields = [
            "name",
            "description",
            "start_date",
            "end_date",
            "programmes",
            "modules",
            "capacity",
            "set_size_min",
            "set_size_max",
        ]
        # Dates and ids a browser could send but the database or date arithmetic cannot
        # hold get a message by the field (core.fields).
        field_classes = {
            "start_date": SensibleDateField,
            "end_date": SensibleDateField,
            "programmes": IdMultipleChoiceField,
            "modules": IdMultipleChoiceField,
        }
        widgets = {
            "programmes": forms.CheckboxSelectMultiple,
            "modules": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "programmes": _("Learners work through every published module in these programmes."),
            "modules": _("Single modules, in addition to any programmes chosen above."),
            "capacity": _(
                "Nobody can join through the link once the cohort has this many members. "
                "Leave empty for no limit."
            ),
            "set_size_min": _("Between 2 and 12. Suggested sets are never smaller."),
            "set_size_max": _("Between 2 and 12. Suggested sets are never larger."),
        }
        error_messages = {
            "name": {"required": _("Give the cohort a name.")},
            "set_size_min": SET_SIZE_ERRORS,
            "set_size_max": SET_SIZE_ERRORS,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cohort = self.instance
        editing = cohort.pk is not None
        self.current_lead_ids = set(cohort.leads.values_list("pk", flat=True)) if editing else set()
        current_programmes = cohort.programmes.values("pk") if editing else []
        current_modules = cohort.modules.values("pk") if editing else []

        # Published pages, and any already assigned that have since been unpublished, so
        # that saving the form never drops them without the lead knowing.
        self.fields["programmes"].queryset = ProgrammePage.objects.filter(
            Q(live=True) | Q(pk__in=current_programmes)
        ).order_by("path")
        self.fields["modules"].queryset = ModulePage.objects.filter(
            Q(live=True) | Q(pk__in=current_modules)
        ).order_by("path")

        leads = self.fields["co_leads"]
        leads.queryset = (
            User.objects.filter(
                Q(groups__name=PROGRAMME_LEAD, is_active=True) | Q(pk__in=self.current_lead_ids)
            )
            .exclude(pk=getattr(self.for_user, "pk", None))
            .distinct()
            .order_by("first_name", "last_name", "email")
        )
        for name in ("set_size_min", "set_size_max"):
            self.fields[name].required = False
        if editing:
            leads.initial = [pk for pk in self.current_lead_ids if pk != self.for_user.pk]
            self.fields["join_link_expires"].initial = date_from_expiry(cohort.code_expires_at)

    def _set_size(self, name: str) -> int:
        """Left empty, a set size stays as it is (the default, for a new cohort)."""
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_set_size_min(self) -> int:
        return self._set_size("set_size_min")

    def clean_set_size_max(self) -> int:
        return self._set_size("set_size_max")

    def clean_join_link_expires(self):
        day = self.cleaned_data.get("join_link_expires")
        if (
            day is not None
            and "join_link_expires" in self.changed_data
            and day < timezone.localdate()
        ):
            raise ValidationError(
                _("The join link cannot stop working before today. Choose today or a later date."),
                code="past",
            )
        return day

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                ValidationError(
                    _("The end date must be on or after the start date."), code="date_order"
                ),
            )
        smallest, largest = cleaned_data.get("set_size_min"), cleaned_data.get("set_size_max")
        if smallest is not None and largest is not None and smallest > largest:
            self.add_error(
                "set_size_max",
                ValidationError(
                    _("The most people in a set must be at least the fewest (%(smallest)s).")
                    % {"smallest": smallest},
                    code="set_size_order",
                ),
            )
        return cleaned_data

    def code_expires_at(self) -> datetime.datetime | None:
        if "join_link_expires" not in self.changed_data and self.instance.pk is not None:
            # Unchanged: keep the exact moment stored, whatever time of day it is.
            return self.instance.code_expires_at
        return expiry_from_date(self.cleaned_data.get("join_link_expires"))

    def save(self, commit=True) -> Cohort:
        """Create or update the cohort through the services. Raises `CohortError`."""
        data = self.cleaned_data
        details = {
            "name": data["name"],
            "description": data.get("description") or "",
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "programmes": data.get("programmes") or [],
            "modules": data.get("modules") or [],
            "code_expires_at": self.code_expires_at(),
            "capacity": data.get("capacity"),
            "set_size_min": data["set_size_min"],
            "set_size_max": data["set_size_max"],
        }
        co_leads = list(data.get("co_leads") or [])
        if self.instance.pk is None:
            return services.cohort_create(lead=self.for_user, co_leads=co_leads, **details)
        if self.for_user.pk in self.current_lead_ids:
            co_leads.append(self.for_user)
        return services.cohort_update(
            cohort=self.instance, user=self.for_user, leads=co_leads, **details
        )
