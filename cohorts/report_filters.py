"""The learner grid's filters: organisation, job role, overall status and last activity.

Every filter narrows the rows in the database (status and activity work on the grid's
aggregates). A value that is not one of the choices makes the form invalid, and Wagtail
then shows every row with the message beside the field, rather than failing.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from accounts.models import Organisation

from . import reports
from .models import Membership

ACTIVE_7 = "active_7"
INACTIVE_14 = "inactive_14"

STATUS_CHOICES = [
    (reports.NOT_STARTED, _("Not started any module")),
    (reports.IN_PROGRESS, _("In progress")),
    (reports.COMPLETED, _("Completed every module")),
]

ACTIVITY_CHOICES = [
    (ACTIVE_7, _("Active in the last 7 days")),
    (INACTIVE_14, _("No activity in the last 14 days")),
]


class LearnerGridFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        field_name="learner__organisation",
        queryset=Organisation.objects.none(),
        empty_label=_("All organisations"),
    )
    job_role = django_filters.CharFilter(
        label=_("Job role contains"),
        field_name="learner__job_role",
        lookup_expr="icontains",
        max_length=120,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=STATUS_CHOICES,
        empty_label=_("Any status"),
        method="filter_status",
        widget=forms.RadioSelect,
    )
    activity = django_filters.ChoiceFilter(
        label=_("Last activity"),
        choices=ACTIVITY_CHOICES,
        empty_label=_("Any time"),
        method="filter_activity",
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Membership
        fields = ["organisation", "job_role", "status", "activity"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.filters["organisation"].queryset = organisations

    def filter_status(self, queryset, name, value):
        return reports.filter_by_status(queryset, value)

    def filter_activity(self, queryset, name, value):
        if value == ACTIVE_7:
            return reports.filter_by_activity(queryset, 7, active=True)
        if value == INACTIVE_14:
            return reports.filter_by_activity(queryset, 14, active=False)
        return queryset
