"""The NHS.UK form template tags (core/templatetags/nhsuk_forms.py), loaded by the same
library name every template already uses."""

import pytest
from django import forms
from django.template import Context, Template

from core.templatetags.nhsuk_forms import field_kind


class ExampleForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="We send the link here.")
    notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    ticks = forms.MultipleChoiceField(
        choices=[("a", "A")], widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)


def render(source: str, **context) -> str:
    return Template("{% load nhsuk_forms %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("email", "input"),
        ("notes", "textarea"),
        ("choice", "radios"),
        ("ticks", "checkboxes"),
        ("agree", "checkbox"),
        ("hidden", "hidden"),
    ],
)
def test_each_widget_gets_the_design_system_s_kind(name, kind):
    assert field_kind(ExampleForm()[name]) == kind


def test_a_field_with_an_error_links_its_hint_and_message_to_the_input():
    form = ExampleForm(data={"email": "not an address", "choice": "a"})
    form.is_valid()

    html = render("{% nhsuk_field form.email %}", form=form)

    assert 'class="nhsuk-input nhsuk-input--error"' in html
    assert 'aria-describedby="id_email-hint id_email-error"' in html
    assert 'id="id_email-error"' in html


def test_the_error_summary_links_each_message_to_its_field():
    form = ExampleForm(data={"email": "not an address"})
    form.is_valid()

    html = render("{% nhsuk_error_summary form %}", form=form)

    assert 'href="#id_email"' in html
    # A group of radios is reached through its first option.
    assert 'href="#id_choice_0"' in html


def test_an_unbound_form_has_no_error_summary():
    assert render("{% nhsuk_error_summary form %}", form=ExampleForm()).strip() == ""


# `{% nhsuk_fields %}` writes in Python exactly what the templates write ----------------


class EveryKindForm(forms.Form):
    """Every kind of field `{% nhsuk_field %}` knows, with the values that change its HTML:
    help texts, characters to escape, numbers, dates, disabled choices, initial values."""

    name = forms.CharField(label="Your name & <role>", help_text='Say "who" you are.')
    email = forms.EmailField(required=False, initial="ada@example.org")
    age = forms.IntegerField(required=False, min_value=0, initial=1234)
    due = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=50, initial="<b>bold</b> & more"
    )
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    choice = forms.ChoiceField(
        label="Pick one",
        help_text="Only one.",
        choices=[("a", "A & a"), ("b", "<B>"), (3, "Three")],
        widget=forms.RadioSelect,
        initial="b",
    )
    ticks = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")],
        widget=forms.CheckboxSelectMultiple(attrs={"disabled": True}),
        required=False,
        initial=["y"],
    )
    agree = forms.BooleanField(label="I agree", help_text="You must agree.")
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False, initial="h&1")
    number_choice = forms.TypedChoiceField(
        choices=[(1, "One"), (2, "Two")], coerce=int, widget=forms.RadioSelect, required=False
    )


BAD_DATA = {
    "name": "",
    "email": "not an email",
    "age": "-3",
    "due": "2027-02-31",
    "notes": "x" * 60,
    "choice": "z",
    "ticks": ["nope"],
    "hidden": "<tag>",
}


@pytest.mark.parametrize(
    "form",
    [
        EveryKindForm(),
        EveryKindForm(prefix="block-1"),
        EveryKindForm(data=BAD_DATA),
        EveryKindForm(data={**BAD_DATA, "name": "Ada", "agree": "on", "choice": "a"}),
    ],
    ids=["unbound", "prefixed", "errors", "some-errors"],
)
def test_nhsuk_fields_writes_what_the_field_template_writes(form):
    assert EveryKindForm.base_fields.keys() == {field.name for field in form}

    by_template = render("{% for field in form %}{% nhsuk_field field %}{% endfor %}", form=form)
    by_python = render("{% nhsuk_fields form %}", form=form)

    assert by_python == by_template
    assert "nhsuk-radios__item" in by_python and "nhsuk-checkboxes__hint" in by_python
