"""Form fields that refuse dates and ids the database or date arithmetic cannot hold."""

import datetime

import pytest
from django.contrib.auth.models import Group

from core.fields import (
    IdChoiceField,
    IdMultipleChoiceField,
    SensibleDateField,
    SensibleDateTimeField,
    is_id,
)

DATE_MESSAGE = "Enter a date between the years 1900 and 2100."


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_dates_outside_the_sensible_years_are_refused(value):
    field = SensibleDateField()

    with pytest.raises(Exception) as refused:
        field.clean(value)

    assert DATE_MESSAGE in str(refused.value)


def test_year_0_is_not_a_date():
    with pytest.raises(Exception, match="Enter a valid date"):
        SensibleDateField().clean("0000-01-01")


def test_sensible_dates_pass():
    assert SensibleDateField().clean("2027-03-27") == datetime.date(2027, 3, 27)
    assert SensibleDateTimeField().clean("2100-12-31 23:59").year == 2100
    with pytest.raises(Exception, match="1900 and 2100"):
        SensibleDateTimeField().clean("9999-12-31 23:59")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        (" 42 ", True),
        (str(2**63 - 1), True),
        (str(2**63), False),
        ("9" * 20, False),
        ("-1", False),
        ("1e3", False),
        ("", False),
        ("٣", False),  # a digit, but not one a database id is written with
    ],
)
def test_is_id(value, expected):
    assert is_id(value) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 20, "-1", "abc", "1.5"])
def test_a_choice_that_is_not_an_id_is_not_one_of_the_choices(value):
    field = IdChoiceField(queryset=Group.objects.all())

    with pytest.raises(Exception, match="Select a valid choice"):
        field.clean(value)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 20, "-1", "abc"])
def test_a_multiple_choice_that_is_not_an_id_is_refused(value):
    group = Group.objects.create(name="Editors")
    field = IdMultipleChoiceField(queryset=Group.objects.all())

    with pytest.raises(Exception, match="Select a valid choice"):
        field.clean([str(group.pk), value])


@pytest.mark.django_db
def test_real_ids_are_chosen():
    group = Group.objects.create(name="Editors")

    assert IdChoiceField(queryset=Group.objects.all()).clean(str(group.pk)) == group
    assert list(IdMultipleChoiceField(queryset=Group.objects.all()).clean([group.pk])) == [group]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["9" * 20, "-1"])
def test_every_model_choice_field_refuses_what_is_not_an_id(value):
    """Installed for all forms, so Wagtail's and packages' fields too (a 20-digit id in
    Wagtail's group and user forms overflowed SQLite)."""
    from django import forms

    single = forms.ModelChoiceField(queryset=Group.objects.all())
    several = forms.ModelMultipleChoiceField(queryset=Group.objects.all())

    class Form(forms.Form):
        group = single
        groups = several

    form = Form({"group": value, "groups": [value]})

    assert not form.is_valid()
    assert "Select a valid choice" in str(form.errors["group"])
    assert "Select a valid choice" in str(form.errors["groups"])


@pytest.mark.django_db
def test_wagtails_group_form_refuses_a_twenty_digit_permission(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    response = client.post("/admin/groups/new/", {"name": "Helpers", "permissions": ["9" * 20]})

    assert response.status_code == 200
    assert not Group.objects.filter(name="Helpers").exists()
