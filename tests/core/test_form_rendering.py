"""`PlainWidgetRenderer` writes Django's plain widgets in Python, exactly as Django's own
templates write them, and renders everything else through the project's renderer."""

import datetime

import pytest
from django import forms
from django.forms.renderers import get_default_renderer

from core import form_rendering
from core.form_rendering import PlainWidgetRenderer


class Widgets(forms.Form):
    text = forms.CharField(
        label="Text", max_length=20, initial='"quoted" & <tagged>', help_text="Help."
    )
    empty = forms.CharField(required=False)
    email = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autofocus": True}))
    number = forms.DecimalField(required=False, initial=1234.5, localize=True)
    date = forms.DateField(initial=datetime.date(2027, 3, 27), widget=forms.DateInput)
    html_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    when = forms.DateTimeField(
        required=False, initial=datetime.datetime(2027, 3, 27, 9, 30, tzinfo=datetime.UTC)
    )
    time = forms.TimeField(required=False, widget=forms.TimeInput)
    url = forms.URLField(
        required=False, assume_scheme="https", widget=forms.URLInput(attrs={"placeholder": "x"})
    )
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    hidden = forms.CharField(widget=forms.HiddenInput, initial="h&1", required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), initial="a\n<b> & c")
    no_notes = forms.CharField(widget=forms.Textarea(attrs={"disabled": False}), required=False)
    off = forms.CharField(required=False, disabled=True, initial="fixed")
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, required=False)
    pick = forms.ChoiceField(choices=[("a", "A & B")], required=False)


class PythonWidgets(Widgets):
    default_renderer = PlainWidgetRenderer()


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"prefix": "block-9"}, {"data": {"text": "x" * 30, "date": "2027-02-31", "notes": ""}}],
    ids=["unbound", "prefixed", "bound"],
)
def test_every_widget_is_written_as_djangos_templates_write_it(kwargs):
    by_templates = Widgets(**kwargs)
    by_python = PythonWidgets(**kwargs)

    for name in Widgets.base_fields:
        attrs = {"class": "nhsuk-input", "aria-describedby": f"{name}-hint"}
        assert by_python[name].as_widget(attrs=attrs) == by_templates[name].as_widget(attrs=attrs)
        assert str(by_python[name]) == str(by_templates[name])
    assert by_python.as_div() == by_templates.as_div()


def test_the_python_version_is_used(monkeypatch):
    rendered = []
    monkeypatch.setattr(
        form_rendering, "render_textarea", lambda widget: rendered.append(widget) or "<t>"
    )

    assert str(PythonWidgets()["notes"]) == "<t>"
    assert rendered


def test_overridden_templates_render_through_templates(monkeypatch):
    """If an app overrides one of Django's widget templates, its template wins."""
    monkeypatch.setattr(form_rendering, "_djangos_own_templates", lambda: False)
    monkeypatch.setattr(
        form_rendering, "render_textarea", lambda widget: pytest.fail("used the Python version")
    )

    assert str(PythonWidgets()["notes"]) == str(Widgets()["notes"])


def test_djangos_own_templates_are_recognised():
    assert form_rendering._djangos_own_templates() is True
    assert PlainWidgetRenderer().form_template_name == get_default_renderer().form_template_name
