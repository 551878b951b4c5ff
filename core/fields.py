"""Form fields that refuse values the database or Python's dates cannot hold.

Django's date fields accept any year from 1 to 9999, and a date near either end makes the
arithmetic after them (the end of the chosen day, a time zone conversion) raise
`OverflowError`. Its model choice fields pass any string to the database as an id, and a
20-digit one does not fit SQLite's 64-bit integers (`OverflowError` again). These fields
answer both with a message next to the field instead.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

ID_PATTERN = re.compile(r"[0-9]{1,19}")
LARGEST_ID = 2**63 - 1


def validate_sensible_date(value: datetime.date) -> None:
    """Refuse a date (or date and time) outside EARLIEST_YEAR to LATEST_YEAR."""
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


def is_id(value) -> bool:
    """Whether `value` is a database id as a form sends it: digits fitting 64 bits."""
    text = str(value).strip()
    return bool(ID_PATTERN.fullmatch(text)) and int(text) <= LARGEST_ID


class SensibleDateField(forms.DateField):
    """A date between the years EARLIEST_YEAR and LATEST_YEAR."""

    default_validators = [validate_sensible_date]


class SensibleDateTimeField(forms.DateTimeField):
    """A date and time between the years EARLIEST_YEAR and LATEST_YEAR."""

    default_validators = [validate_sensible_date]


def chooses_by_integer_id(field) -> bool:
    """Whether a model choice field looks its choices up by an integer primary key."""
    if not isinstance(field, forms.ModelChoiceField) or field.to_field_name:
        return False
    queryset = getattr(field, "queryset", None)
    if queryset is None:
        return False
    key = queryset.model._meta.pk
    while key.is_relation:  # a child model's key is its parent's (Wagtail's pages)
        key = key.target_field
    return key.get_internal_type() in INTEGER_KEYS


INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}


def _refuse_non_ids(original):
    def clean_bound_field(self, bf):
        if not self.disabled and chooses_by_integer_id(self):
            data = bf.data
            values = data if isinstance(data, list | tuple) else [data]
            for value in values:
                if isinstance(value, str) and value.strip() and not is_id(value):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": value},
                    )
        return original(self, bf)

    clean_bound_field.id_check = True
    return clean_bound_field


def install_id_choice_check() -> None:
    """Make every model choice field with integer ids (Wagtail's and packages' included)
    refuse a value that is not an id, as `IdChoiceField` does, before the database sees it.
    """
    if getattr(forms.Field._clean_bound_field, "id_check", False):
        return
    forms.Field._clean_bound_field = _refuse_non_ids(forms.Field._clean_bound_field)


class IdChoiceField(forms.ModelChoiceField):
    """`ModelChoiceField` for models whose primary key is an integer: a value that is not
    an id is refused with the field's own "not one of the choices" message before the
    database sees it."""

    def to_python(self, value):
        if (
            value not in self.empty_values
            and not isinstance(value, self.queryset.model)
            and not is_id(value)
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """`ModelMultipleChoiceField` for models whose primary key is an integer, refusing
    values that are not ids as `IdChoiceField` does."""

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else []:
            if not isinstance(item, self.queryset.model) and not is_id(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
