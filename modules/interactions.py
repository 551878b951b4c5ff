"""How each interactive block is answered: its form, what is shown again, how it saves.

One `Interaction` per interactive block type, looked up by the block's type name. The
lesson view and the answer view use these; nothing else needs to know the block types.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import forms, services
from .models import JournalEntry
from .selectors import LessonAnswers


@dataclass(frozen=True)
class Interaction:
    form_class: type[forms.BlockForm]
    saved_message: Any

    def initial(self, block, answers: LessonAnswers) -> dict:
        entry = answers.journal.get(block.id)
        if entry is None:
            return {}
        return {
            "text": entry.text,
            "due_on": entry.due_on,
            "plan": entry.plan,
            "act": entry.act,
            "observe": entry.observe,
            "reflect": entry.reflect,
        }

    def saved(self, block, answers: LessonAnswers):
        return answers.journal.get(block.id)

    def save(self, *, form, learner, lesson, module, block) -> None:
        data = form.cleaned_data
        services.journal_entry_save(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=block.id,
            kind=block.block_type,
            prompt=self.prompt(block),
            text=data.get("text", ""),
            due_on=data.get("due_on"),
            plan=data.get("plan", ""),
            act=data.get("act", ""),
            observe=data.get("observe", ""),
            reflect=data.get("reflect", ""),
        )

    def prompt(self, block) -> str:
        value = block.value
        if block.block_type == JournalEntry.Kind.LEARNING_CYCLE:
            return value["introduction"] or str(_("Plan, Act, Observe, Reflect"))
        return value["prompt"]


class ChecklistInteraction(Interaction):
    def initial(self, block, answers):
        progress = answers.checklists.get(block.id)
        return {"ticked": progress.ticked} if progress else {}

    def saved(self, block, answers):
        return answers.checklists.get(block.id)

    def save(self, *, form, learner, lesson, module, block):
        services.checklist_save(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=block.id,
            item_ids=[item.id for item in block.value["items"].bound_blocks],
            ticked=form.cleaned_data["ticked"],
        )


class KnowledgeCheckInteraction(Interaction):
    def initial(self, block, answers):
        return {}

    def saved(self, block, answers):
        return answers.attempts.get(block.id, [])

    def save(self, *, form, learner, lesson, module, block):
        options = block.value["options"].bound_blocks
        services.knowledge_check_answer(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=block.id,
            correct_ids=[option.id for option in options if option.value["is_correct"]],
            option_ids=[option.id for option in options],
            selected=form.cleaned_data["selected"],
            attempt_key=form.cleaned_data["attempt_key"],
        )


INTERACTIONS: dict[str, Interaction] = {
    "reflection": Interaction(forms.ReflectionForm, _("Your reflection is saved.")),
    "action_commitment": Interaction(forms.ActionCommitmentForm, _("Your action is saved.")),
    "learning_cycle": Interaction(forms.LearningCycleForm, _("Your learning cycle is saved.")),
    "checklist": ChecklistInteraction(forms.ChecklistForm, _("Your checklist is saved.")),
    "knowledge_check": KnowledgeCheckInteraction(
        forms.KnowledgeCheckForm, _("Your answer is recorded.")
    ),
}
