"""Forms that several apps share and that know no domain."""

import datetime
from collections.abc import Sequence

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .codes import normalise_join_code
from .fields import validate_sensible_date


class JoinForm(forms.Form):
    """A join code as people type it: any case, with spaces or dashes.

    Subclasses say where the code comes from in `code_help_text` (a team's creator, a
    programme lead) and how long it is; the cleaned code is in its stored form.
    """

    code_help_text = gettext_lazy(
        "The letters and numbers you were given to join. For example, K7MP 3QXR."
    )
    code = forms.CharField(
        label=gettext_lazy("Join code"),
        max_length=32,
        error_messages={
            "required": gettext_lazy("Enter the join code."),
            "max_length": gettext_lazy("That join code is not right. Check it and try again."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = self.code_help_text
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        )

    def clean_code(self):
        code = normalise_join_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Enter the join code."))
        return code


def date_from_parts(parts: Sequence[str], *, what: str, required: bool) -> datetime.date | None:
    """The NHS.UK date input's day, month and year boxes, read as one date.

    None when all three are empty and the date is optional. `what` names the date in the
    messages ("the date the join link expires"). A NUL byte is dropped, digits must be
    ASCII ("²" is a digit to Python but not to `int`), and the date must be real and
    between the years `validate_sensible_date` allows.
    """
    parts = [(part or "").replace("\x00", "").strip() for part in parts]
    what_capitalised = what[:1].upper() + what[1:]
    if not any(parts):
        if required:
            raise forms.ValidationError(_("Enter %(what)s.") % {"what": what})
        return None
    if not all(parts):
        if required:
            message = _("Enter %(what)s as a day, month and year.")
        else:
            message = _("Enter %(what)s as a day, month and year, or leave it empty.")
        raise forms.ValidationError(message % {"what": what})
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise forms.ValidationError(
            _("%(what)s must be numbers, like 27 3 2027.") % {"what": what_capitalised}
        )
    day, month, year = (int(part) for part in parts)
    try:
        value = datetime.date(year, month, day)
    except (ValueError, OverflowError):
        raise forms.ValidationError(
            _("%(what)s must be a real date, like 27 3 2027.") % {"what": what_capitalised}
        ) from None
    validate_sensible_date(value)
    return value
