"""Render Django form fields with the NHS.UK design system's markup.

`{% nhsuk_field form.email %}` renders label, hint, error message and widget with the
classes and `aria-describedby` links the design system expects;
`{% nhsuk_error_summary form %}` renders the error summary that links to each field.
"""

from django import forms, template

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
