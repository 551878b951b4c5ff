"""Render Django form fields with the NHS.UK design system's markup.

`{% nhsuk_field form.email %}` renders label, hint, error message and widget with the
classes and `aria-describedby` links the design system expects;
`{% nhsuk_error_summary form %}` renders the error summary that links to each field.
`{% nhsuk_fields form %}` renders every field of a form as `{% nhsuk_field %}` would, in
Python, for pages that show many small forms (a lesson shows five).
"""

from django import forms, template
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def field_kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    # CheckboxSelectMultiple is a subclass of RadioSelect, so it is asked about first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    return "input"


WIDGET_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "file": ("nhsuk-file-upload", "nhsuk-file-upload--error"),
    "checkbox": ("nhsuk-checkboxes__input", ""),
    "radios": ("nhsuk-radios__input", ""),
    "checkboxes": ("nhsuk-checkboxes__input", ""),
}


def describedby(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.inclusion_tag("components/forms/field.html")
def nhsuk_field(field, label_size="", width=""):
    kind = field_kind(field)
    attrs = {}
    base_class, error_class = WIDGET_CLASSES.get(kind, ("", ""))
    classes = [field.field.widget.attrs.get("class", ""), base_class]
    if field.errors and error_class:
        classes.append(error_class)
    if width and kind == "input":
        classes.append(f"nhsuk-u-width-{width}" if "-" in width else f"nhsuk-input--width-{width}")
    attrs["class"] = " ".join(c for c in classes if c)
    if kind not in {"radios", "checkboxes"}:
        aria = describedby(field)
        if aria:
            attrs["aria-describedby"] = aria
    widget_html = field.as_widget(attrs=attrs) if kind not in {"radios", "checkboxes"} else ""
    return {
        "field": field,
        "kind": kind,
        "widget_html": widget_html,
        "describedby": describedby(field),
        "label_size": label_size,
    }


@register.inclusion_tag("components/forms/choice_item.html")
def nhsuk_choice(field, option, kind):
    return {"field": field, "option": option, "kind": kind}


@register.inclusion_tag("components/forms/error_summary.html")
def nhsuk_error_summary(*forms_to_check):
    """One error summary for one or more forms, linking each message to its field."""
    items = []
    for form in forms_to_check:
        if form is None or not getattr(form, "is_bound", False) or not form.errors:
            continue
        for error in form.non_field_errors():
            items.append({"message": error, "href": ""})
        for field in form:
            for error in field.errors:
                target = field.auto_id
                if field_kind(field) in {"radios", "checkboxes"}:
                    target = f"{field.auto_id}_0"
                items.append({"message": error, "href": f"#{target}"})
    return {"items": items}


# The same HTML, written in Python ----------------------------------------------------
#
# `field_html` writes exactly what `components/forms/field.html` (with
# `components/forms/choice_item.html` for each choice) writes, character for character:
# `tests/core/test_nhsuk_forms.py` renders forms of every kind both ways and compares them.
# Change both together.

# What `{{ ... }}` sees in a page template: autoescaping on, localisation and time zones
# as the settings say.
_CONTEXT = Context()


def _out(value) -> str:
    """`{{ value }}`"""
    if type(value) is str:
        # What the template engine does with a plain string, without its checks for
        # dates and numbers.
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _hint(field, extra_class: str = "") -> str:
    if not field.help_text:
        return ""
    return (
        f'<div class="nhsuk-hint{extra_class}" id="{_out(field.auto_id)}-hint">'
        f"{_out(field.help_text)}</div>"
    )


def _errors(field) -> str:
    return "".join(
        f'<span class="nhsuk-error-message" id="{_out(field.auto_id)}-error">'
        f'<span class="nhsuk-u-visually-hidden">Error:</span> {_out(error)}</span>'
        for error in field.errors
    )


def _choice_html(option, kind: str) -> str:
    data = option.data
    checked = " checked" if data["selected"] else ""
    disabled = " disabled" if data["attrs"].get("disabled") else ""
    return (
        f'<div class="nhsuk-{kind}__item">\n'
        f'  <input class="nhsuk-{kind}__input" id="{_out(option.id_for_label)}" '
        f'name="{_out(data["name"])}" type="{_out(data["type"])}" '
        f'value="{_out(data["value"])}"{checked}{disabled}>\n'
        f'  <label class="nhsuk-label nhsuk-{kind}__label" for="{_out(option.id_for_label)}">'
        f"{_out(option.choice_label)}</label>\n"
        "</div>\n"
    )


def field_html(field, label_size: str = "", width: str = "") -> SafeString:
    """What `{% nhsuk_field field label_size width %}` renders."""
    context = nhsuk_field(field, label_size, width)
    kind = context["kind"]
    if kind == "hidden":
        return mark_safe(f"{_out(field)}\n")  # noqa: S308 (escaped above)
    describedby = context["describedby"]
    if kind in {"radios", "checkboxes"}:
        aria = f' aria-describedby="{_out(describedby)}"' if describedby else ""
        size = f" nhsuk-fieldset__legend--{_out(label_size)}" if label_size else ""
        choices = "".join(_choice_html(option, kind) for option in field.subwidgets)
        body = (
            f'\n  <fieldset class="nhsuk-fieldset"{aria}>\n'
            f'    <legend class="nhsuk-fieldset__legend{size}">{_out(field.label)}</legend>\n'
            f"    {_hint(field)}\n"
            f"    {_errors(field)}\n"
            f'    <div class="nhsuk-{kind}" data-module="nhsuk-{kind}">\n'
            f"      {choices}\n"
            "    </div>\n"
            "  </fieldset>\n"
        )
    elif kind == "checkbox":
        body = (
            f"\n  {_errors(field)}\n"
            '  <div class="nhsuk-checkboxes" data-module="nhsuk-checkboxes">\n'
            '    <div class="nhsuk-checkboxes__item">\n'
            f"      {_out(context['widget_html'])}\n"
            '      <label class="nhsuk-label nhsuk-checkboxes__label" '
            f'for="{_out(field.id_for_label)}">{_out(field.label)}</label>\n'
            f"      {_hint(field, ' nhsuk-checkboxes__hint')}\n"
            "    </div>\n"
            "  </div>\n"
        )
    else:
        size = f" nhsuk-label--{_out(label_size)}" if label_size else ""
        body = (
            f'\n  <label class="nhsuk-label{size}" for="{_out(field.id_for_label)}">'
            f"{_out(field.label)}</label>\n"
            f"  {_hint(field)}\n"
            f"  {_errors(field)}\n"
            f"  {_out(context['widget_html'])}\n"
        )
    error = " nhsuk-form-group--error" if field.errors else ""
    return mark_safe(  # noqa: S308 (every value is escaped above)
        f'\n<div class="nhsuk-form-group{error}">\n{body}\n</div>\n\n'
    )


@register.simple_tag
def nhsuk_fields(form) -> SafeString:
    """`{% for field in form %}{% nhsuk_field field %}{% endfor %}`, in Python."""
    return mark_safe("".join(field_html(field) for field in form))  # noqa: S308
