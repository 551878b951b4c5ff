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
