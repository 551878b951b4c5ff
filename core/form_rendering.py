"""A form renderer that writes Django's plain widgets in Python.

Django renders every widget through a template: `textarea.html`, or one of the input
templates (`text.html`, `date.html`, `hidden.html`, ...) that include `input.html`, which
includes `attrs.html`. That is most of the cost of a small form, and a lesson page shows
five. `PlainWidgetRenderer` writes exactly what those three templates write, character
for character (`tests/core/test_form_rendering.py` compares the two), and renders every
other template through the project's own form renderer.

It only does so while the templates it would load for those names are Django's own files:
if an app or the project overrides one of them, everything renders through templates as
usual.
"""

import functools
from pathlib import Path

import django.forms
from django.forms.renderers import BaseRenderer, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
INPUT_TEMPLATES = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "date",
        "datetime",
        "time",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "url",
    )
)
TEXTAREA_TEMPLATE = f"{_WIDGETS}textarea.html"
_DJANGOS_OWN = Path(django.forms.__file__).parent / "templates"

# What `{{ ... }}` sees in the form renderer's templates: autoescaping on, localisation and
# time zones as the settings say.
_CONTEXT = Context()


@functools.cache
def _djangos_own_templates() -> bool:
    """Whether the default renderer loads Django's own files for every template the
    Python version stands in for."""
    renderer = get_default_renderer()
    try:
        for name in (*INPUT_TEMPLATES, TEXTAREA_TEMPLATE, f"{_WIDGETS}attrs.html"):
            if Path(renderer.get_template(name).origin.name) != _DJANGOS_OWN / name:
                return False
    except Exception:  # noqa: BLE001 (any renderer we cannot inspect: use templates)
        return False
    return True


def _out(value) -> str:
    """`{{ value }}`"""
    if type(value) is str:
        # What the template engine does with a plain string, without its checks for
        # dates and numbers.
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _out_s(value) -> str:
    """`{{ value|stringformat:'s' }}` (the filter keeps safe input safe)."""
    text = stringformat(value, "s")
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 (as the template engine does for this filter)
    return _out(text)


def _attrs(attrs: dict) -> str:
    """`attrs.html`"""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_out(name)}")
            if value is not True:
                parts.append(f'="{_out_s(value)}"')
    return "".join(parts)


def _plain(widget: dict) -> bool:
    """Whether the template language would read these values as they are (it calls
    callables, which a widget's values never are in practice)."""
    values = [widget.get("type"), widget["name"], widget["value"], *widget["attrs"].values()]
    return not any(callable(value) for value in values)


def render_input(widget: dict) -> str:
    """`input.html`"""
    value = widget["value"]
    shown = f' value="{_out_s(value)}"' if value != None else ""  # noqa: E711 (as the template)
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: dict) -> str:
    """`textarea.html`"""
    value = widget["value"]
    return (
        f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_out(value) if value else ''}</textarea>"
    )


class PlainWidgetRenderer(BaseRenderer):
    """The project's form renderer, with text-like inputs and textareas written in Python.

    Use it as a form's `default_renderer`.
    """

    @property
    def fallback(self) -> BaseRenderer:
        return get_default_renderer()

    @property
    def form_template_name(self):  # type: ignore[override]
        return self.fallback.form_template_name

    @property
    def formset_template_name(self):  # type: ignore[override]
        return self.fallback.formset_template_name

    @property
    def field_template_name(self):  # type: ignore[override]
        return self.fallback.field_template_name

    @property
    def bound_field_class(self):  # type: ignore[override]
        return self.fallback.bound_field_class

    def get_template(self, template_name):
        return self.fallback.get_template(template_name)

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None and _plain(widget) and _djangos_own_templates():
            if template_name in INPUT_TEMPLATES:
                return render_input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return render_textarea(widget)
        return self.fallback.render(template_name, context, request=request)
