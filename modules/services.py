"""Writes for lessons: learners' answers to interactive blocks.

Each function is keyword-only, validates what it is given, runs in a transaction and is
idempotent where a double click or a retried request could repeat it.
"""

import datetime
import uuid

from django.db import IntegrityError, transaction

from accounts.models import User

from .models import (
    ChecklistProgress,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonPage,
    ModulePage,
)


def _snapshot(*, lesson: LessonPage, module: ModulePage | None) -> dict:
    return {
        "lesson": lesson,
        "module": module,
        "lesson_title": lesson.title,
        "module_title": module.title if module else "",
    }


@transaction.atomic
def journal_entry_save(
    *,
    learner: User,
    lesson: LessonPage,
    module: ModulePage | None,
    block_id: str,
    kind: str,
    prompt: str,
    text: str = "",
    due_on: datetime.date | None = None,
    plan: str = "",
    act: str = "",
    observe: str = "",
    reflect: str = "",
) -> JournalEntry:
    """Create or replace the learner's answer to one reflection, action or cycle block."""
    values = {
        **_snapshot(lesson=lesson, module=module),
        "kind": kind,
        "prompt": prompt,
        "text": text,
        "due_on": due_on,
        "plan": plan,
        "act": act,
        "observe": observe,
        "reflect": reflect,
    }
    # update_or_create locks the row and, if two saves race to create it, retries as an
    # update: a double click or two tabs leave one entry with the newest text.
    entry, _created = JournalEntry.objects.update_or_create(
        learner=learner, block_id=block_id, defaults=values
    )
    return entry


@transaction.atomic
def checklist_save(
    *,
    learner: User,
    lesson: LessonPage,
    module: ModulePage | None,
    block_id: str,
    item_ids: list[str],
    ticked: list[str],
) -> ChecklistProgress:
    """Record which items are ticked now. Ids that are not items of the block are refused."""
    unknown = set(ticked) - set(item_ids)
    if unknown:
        raise ValueError(f"Not items of this checklist: {sorted(unknown)}")
    ordered = [item_id for item_id in item_ids if item_id in set(ticked)]
    progress, _created = ChecklistProgress.objects.update_or_create(
        learner=learner,
        block_id=block_id,
        defaults={**_snapshot(lesson=lesson, module=module), "ticked": ordered},
    )
    return progress


def knowledge_check_answer(
    *,
    learner: User,
    lesson: LessonPage,
    module: ModulePage | None,
    block_id: str,
    correct_ids: list[str],
    option_ids: list[str],
    selected: list[str],
    attempt_key: uuid.UUID,
) -> KnowledgeCheckAttempt:
    """Record one attempt; the same attempt key twice records it once."""
    unknown = set(selected) - set(option_ids)
    if unknown or not selected:
        raise ValueError("Choose at least one of the question's options.")
    chosen = [option_id for option_id in option_ids if option_id in set(selected)]
    try:
        with transaction.atomic():
            return KnowledgeCheckAttempt.objects.create(
                learner=learner,
                block_id=block_id,
                selected=chosen,
                is_correct=set(chosen) == set(correct_ids),
                attempt_key=attempt_key,
                **_snapshot(lesson=lesson, module=module),
            )
    except IntegrityError:
        return KnowledgeCheckAttempt.objects.get(learner=learner, attempt_key=attempt_key)
