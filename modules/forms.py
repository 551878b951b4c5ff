"""Forms for the interactive lesson blocks. Each takes the block's value as `block`."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import SensibleDateField
from core.form_rendering import PlainWidgetRenderer

ANSWER_MAX_LENGTH = 10_000
ACTION_MAX_LENGTH = 2_000


def _too_long(limit: int) -> str:
    return _("Keep this to %(limit)s characters or fewer.") % {"limit": f"{limit:,}"}


class BlockForm(forms.Form):
    # A lesson page shows five of these forms: their widgets are written in Python, the
    # same HTML as Django's templates write (`core.form_rendering`).
    default_renderer = PlainWidgetRenderer()

    def __init__(self, *args, block, **kwargs):
        self.block = block
        super().__init__(*args, **kwargs)


class ReflectionForm(BlockForm):
    text = forms.CharField(
        label=_("Your reflection"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=ANSWER_MAX_LENGTH,
        error_messages={
            "required": _("Write your reflection before you save it."),
            "max_length": _too_long(ANSWER_MAX_LENGTH),
        },
        help_text=_("Only you can read this. It is saved to your journal."),
    )


class ActionCommitmentForm(BlockForm):
    text = forms.CharField(
        label=_("What you will do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ACTION_MAX_LENGTH,
        error_messages={
            "required": _("Write what you will do."),
            "max_length": _too_long(ACTION_MAX_LENGTH),
        },
    )
    due_on = SensibleDateField(
        label=_("By when"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date you will do it by."),
            "invalid": _("Enter a real date, for example 27 March 2027."),
        },
        help_text=_("For example, 27 March 2027."),
    )


class ChecklistForm(BlockForm):
    ticked = forms.MultipleChoiceField(
        label="", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, block=block, **kwargs)
        self.fields["ticked"].label = block.value["heading"]
        self.fields["ticked"].help_text = block.value["introduction"]
        self.fields["ticked"].choices = [
            (item.id, item.value) for item in block.value["items"].bound_blocks
        ]
        self.fields["ticked"].error_messages["invalid_choice"] = _(
            "This checklist has changed since you opened it. Tick your items again."
        )


class KnowledgeCheckForm(BlockForm):
    attempt_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, block, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("attempt_key", uuid.uuid4())
        super().__init__(*args, block=block, **kwargs)
        options = block.value["options"].bound_blocks
        choices = [(option.id, option.value["text"]) for option in options]
        self.many_right = sum(bool(option.value["is_correct"]) for option in options) > 1
        if self.many_right:
            field = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
            field.help_text = _("Choose all the answers that apply.")
        else:
            field = forms.ChoiceField(widget=forms.RadioSelect)
        field.label = block.value["question"]
        field.choices = choices
        field.error_messages["required"] = _("Choose an answer.")
        field.error_messages["invalid_choice"] = _(
            "This question has changed since you opened it. Choose your answer again."
        )
        self.fields["selected"] = field
        self.order_fields(["selected", "attempt_key"])

    def clean_selected(self):
        selected = self.cleaned_data["selected"]
        return list(selected) if isinstance(selected, list) else [selected]


def _stage_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _too_long(ANSWER_MAX_LENGTH)},
    )


class LearningCycleForm(BlockForm):
    STAGES = ("plan", "act", "observe", "reflect")

    plan = _stage_field()
    act = _stage_field()
    observe = _stage_field()
    reflect = _stage_field()

    def __init__(self, *args, block, **kwargs):
        super().__init__(*args, block=block, **kwargs)
        for stage in self.STAGES:
            self.fields[stage].label = block.value[f"{stage}_prompt"]

    def clean(self):
        cleaned = super().clean()
        for stage in self.STAGES:
            cleaned[stage] = (cleaned.get(stage) or "").strip()
        if not self.errors and not any(cleaned[stage] for stage in self.STAGES):
            self.add_error("plan", _("Write something in at least one of the four parts."))
        return cleaned
