"""The join form and the three-box date reader (core/forms.py) that several apps share."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.forms import JoinForm, date_from_parts


class TeamishJoinForm(JoinForm):
    code_help_text = gettext_lazy("From whoever set it up.")


def test_a_code_is_cleaned_to_its_stored_form():
    form = JoinForm(data={"code": "k7mp 3qxr"})

    assert form.is_valid()
    assert form.cleaned_data["code"] == "K7MP3QXR"


def test_a_code_of_only_separators_is_asked_for_again():
    form = JoinForm(data={"code": " - - "})

    assert not form.is_valid()
    assert form.errors["code"] == ["Enter the join code."]


def test_a_code_longer_than_any_join_code_is_refused_without_saying_why():
    form = JoinForm(data={"code": "A" * 33})

    assert not form.is_valid()
    assert form.errors["code"] == ["That join code is not right. Check it and try again."]


def test_a_subclass_says_where_the_code_comes_from():
    assert TeamishJoinForm()["code"].help_text == "From whoever set it up."
    assert "K7MP 3QXR" in JoinForm()["code"].help_text


def test_the_code_box_does_not_autocorrect_what_people_type():
    attrs = JoinForm()["code"].field.widget.attrs

    assert attrs["autocomplete"] == "off"
    assert attrs["autocapitalize"] == "characters"
    assert attrs["spellcheck"] == "false"


@pytest.mark.parametrize(
    ("parts", "required", "expected"),
    [
        (["27", "3", "2027"], True, datetime.date(2027, 3, 27)),
        ([" 7 ", "03", "2027\x00"], True, datetime.date(2027, 3, 7)),
        (["", "", ""], False, None),
    ],
)
def test_date_from_parts_reads_the_three_boxes(parts, required, expected):
    assert date_from_parts(parts, what="the date", required=required) == expected


@pytest.mark.parametrize(
    ("parts", "required", "message"),
    [
        (["", "", ""], True, "Enter the date."),
        (["27", "", "2027"], True, "Enter the date as a day, month and year."),
        (["27", "", ""], False, "Enter the date as a day, month and year, or leave it empty."),
        (["x", "3", "2027"], True, "The date must be numbers, like 27 3 2027."),
        # Digits to str.isdigit, but not to int(): once a server error.
        (["²", "3", "2027"], True, "The date must be numbers, like 27 3 2027."),
        (["٣", "3", "2027"], True, "The date must be numbers, like 27 3 2027."),
        (["31", "2", "2027"], True, "The date must be a real date, like 27 3 2027."),
        (["1", "1", "0"], True, "The date must be a real date, like 27 3 2027."),
        (["1", "1", "9" * 20], True, "The date must be a real date, like 27 3 2027."),
    ],
)
def test_date_from_parts_says_what_is_wrong(parts, required, message):
    with pytest.raises(ValidationError) as raised:
        date_from_parts(parts, what="the date", required=required)

    assert raised.value.messages == [message]


def test_date_from_parts_refuses_a_year_far_away():
    with pytest.raises(ValidationError):
        date_from_parts(["31", "12", "9999"], what="the date", required=True)
