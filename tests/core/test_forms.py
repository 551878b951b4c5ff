"""The join form (core/forms.py) that teams and cohorts share."""

from django.utils.translation import gettext_lazy

from core.forms import JoinForm


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
