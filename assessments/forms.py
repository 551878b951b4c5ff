"""The form for one page (section) of a self-assessment: one set of radios per question."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .definitions import Question, Questionnaire, Section

FIELD_PREFIX = "item-"
NOT_OFFERED = _("Choose one of the answers offered.")


def field_name(key: str) -> str:
    """The form field (and HTML id) of a question: `item-<key>`, the anchor error links use."""
    return f"{FIELD_PREFIX}{key}"


@dataclass(frozen=True)
class Option:
    id: str
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class QuestionRow:
    """A question as the template draws it: an NHS.UK radios fieldset."""

    question: Question
    name: str
    errors: list[str]
    options: list[Option]

    @property
    def id(self) -> str:
        return self.name


class SectionAnswersForm(forms.Form):
    """The answers to one section's questions; any may be left unanswered (a draft).

    Field names are `item-<question key>`; the first radio of each question has that id, so
    error summary links land on it. A posted answer that is not on the scale is a field
    error; a posted `item-…` name that is not a question on this page is a form error.
    Either way `answers()` is not available and nothing is saved.
    """

    def __init__(
        self,
        *args,
        questionnaire: Questionnaire,
        section: Section,
        saved: Mapping[str, int] | None = None,
        **kwargs,
    ):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.section = section
        self.saved = dict(saved or {})
        choices = [(str(option.value), option.label) for option in questionnaire.definition.scale]
        self.choices = choices
        for question in section.questions:
            self.fields[field_name(question.key)] = forms.TypedChoiceField(
                label=_("%(number)s. %(text)s")
                % {"number": question.number, "text": question.text},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": NOT_OFFERED},
            )

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            strangers = [
                name
                for name in self.data
                if name.startswith(FIELD_PREFIX) and name not in self.fields
            ]
            if strangers:
                raise forms.ValidationError(
                    _(
                        "Some answers were for questions that are not on this page. "
                        "Nothing was saved: choose your answers again."
                    ),
                    code="unknown_question",
                )
        return cleaned

    def answers(self) -> dict[str, int]:
        """The answers given on this page, by question key (after `is_valid()`)."""
        return {
            question.key: self.cleaned_data[field_name(question.key)]
            for question in self.section.questions
            if self.cleaned_data.get(field_name(question.key)) is not None
        }

    def _chosen(self, question: Question) -> str:
        name = field_name(question.key)
        if self.is_bound and self.data.get(name):
            return str(self.data.get(name))
        saved = self.saved.get(question.key)
        return "" if saved is None else str(saved)

    def rows(self) -> list[QuestionRow]:
        rows = []
        for question in self.section.questions:
            name = field_name(question.key)
            chosen = self._chosen(question)
            options = [
                Option(
                    id=name if index == 0 else f"{name}-{index + 1}",
                    value=value,
                    label=str(label),
                    checked=value == chosen,
                )
                for index, (value, label) in enumerate(self.choices)
            ]
            rows.append(
                QuestionRow(
                    question=question,
                    name=name,
                    errors=[str(error) for error in self.errors.get(name, [])]
                    if self.is_bound
                    else [],
                    options=options,
                )
            )
        return rows
