"""Forms that several apps share and that know no domain."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .codes import normalise_join_code


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
