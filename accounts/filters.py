"""Filter sets for the accounts screens in the Wagtail admin."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .models import Organisation


class OrganisationFilterSet(WagtailFilterSet):
    type = django_filters.MultipleChoiceFilter(
        label=_("Type"),
        choices=Organisation.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Organisation.Status.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Organisation
        fields = ["type", "status"]
