"""Writes for lessons: learners' answers to interactive blocks.

Each function is keyword-only, validates what it is given, runs in a transaction and is
idempotent where a double click or a retried request could repeat it.
"""

import datetime
import uuid
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User

from .certificate_services import (
    CertificateNotEarned as CertificateNotEarned,
)
from .certificate_services import (
    certificate_issue as certificate_issue,
)
from .certificate_services import (
    certificate_regenerate as certificate_regenerate,
)
from .models import (
    ChecklistProgress,
    Enrolment,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonPage,
    ModulePage,
)
from .tasks import certificate_generate, module_certificates_regenerate_all


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


# Progress ------------------------------------------------------------------------------


def _live_lesson_ids(module: ModulePage) -> list[int]:
    return list(LessonPage.objects.child_of(module).live().values_list("pk", flat=True))


def _enrolment_for_update(*, learner: User, module: ModulePage) -> Enrolment:
    """The learner's enrolment in the module, created if missing, locked for this transaction."""
    enrolment, _created = Enrolment.objects.select_for_update().get_or_create(
        learner=learner,
        module=module,
        defaults={
            "module_title": module.title,
            "started_at": timezone.now(),
            # A callable, so the lessons are only counted when the enrolment is created.
            "lessons_total": lambda: len(_live_lesson_ids(module)),
        },
    )
    return enrolment


def _refresh_summary(enrolment: Enrolment, module: ModulePage) -> Enrolment:
    """Recount the enrolment's summary from the facts (two queries, no Python loop)."""
    live_ids = _live_lesson_ids(module)
    enrolment.lessons_total = len(live_ids)
    enrolment.lessons_completed = LessonCompletion.objects.filter(
        learner_id=enrolment.learner_id, lesson_id__in=live_ids
    ).count()
    enrolment.module_title = module.title
    if (
        enrolment.completed_at is None
        and 0 < enrolment.lessons_total == enrolment.lessons_completed
    ):
        enrolment.completed_at = timezone.now()
    enrolment.save(
        update_fields=["lessons_total", "lessons_completed", "module_title", "completed_at"]
    )
    return enrolment


@transaction.atomic
def enrolment_start(*, learner: User, module: ModulePage) -> Enrolment:
    """Start a module (idempotent: starting twice keeps the first start)."""
    return _enrolment_for_update(learner=learner, module=module)


@transaction.atomic
def lesson_visit(*, learner: User, lesson: LessonPage, module: ModulePage) -> Enrolment:
    """Opening a lesson enrols the learner in its module and records it as the last visited."""
    enrolment = _enrolment_for_update(learner=learner, module=module)
    enrolment.last_lesson = lesson
    enrolment.last_visited_at = timezone.now()
    enrolment.save(update_fields=["last_lesson", "last_visited_at"])
    return enrolment


@transaction.atomic
def lesson_complete(*, learner: User, lesson: LessonPage, module: ModulePage) -> Enrolment:
    """Record that the learner completed the lesson; idempotent under double clicks and tabs.

    The enrolment row is locked first, so two completions at once for the same module
    queue up and the summary counts each completion exactly once. When this completion
    finishes the module, its certificate is generated in the background once the
    transaction has committed, so a failing task can never undo the completion.
    """
    enrolment = _enrolment_for_update(learner=learner, module=module)
    was_complete = enrolment.completed_at is not None
    LessonCompletion.objects.get_or_create(
        learner=learner,
        lesson=lesson,
        defaults={
            "module": module,
            "lesson_title": lesson.title,
            "completed_at": timezone.now(),
        },
    )
    enrolment = _refresh_summary(enrolment, module)
    if enrolment.completed_at is not None and not was_complete:
        transaction.on_commit(partial(certificate_generate.enqueue, enrolment.pk))
    return enrolment


@transaction.atomic
def lesson_uncomplete(*, learner: User, lesson: LessonPage, module: ModulePage) -> Enrolment:
    """Undo a completion. A module completed before keeps its date only if still complete."""
    enrolment = _enrolment_for_update(learner=learner, module=module)
    LessonCompletion.objects.filter(learner=learner, lesson=lesson).delete()
    enrolment = _refresh_summary(enrolment, module)
    if enrolment.completed_at and enrolment.lessons_completed < enrolment.lessons_total:
        enrolment.completed_at = None
        enrolment.save(update_fields=["completed_at"])
    return enrolment


def module_progress_refresh(*, module: ModulePage) -> int:
    """After lessons are published, unpublished, moved or deleted: recount every learner's
    summary for the module in one UPDATE. Completion dates are kept (rule 3)."""
    live_ids = _live_lesson_ids(module)
    completed = (
        LessonCompletion.objects.filter(learner_id=OuterRef("learner_id"), lesson_id__in=live_ids)
        .order_by()
        .values("learner_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Enrolment.objects.filter(module=module).update(
        lessons_total=len(live_ids),
        lessons_completed=Coalesce(Subquery(completed), 0),
        module_title=module.title,
    )


# Certificates --------------------------------------------------------------------------
#
# Issuing and regenerating live in `certificate_services` (the background tasks call them,
# and this module queues those tasks: one-way imports); they are part of this API too.


def module_certificates_regenerate(*, module: ModulePage) -> int:
    """Queue one task that regenerates every certificate earned in the module, once this
    transaction commits; returns how many there are now. The request that asks does one
    count and one insert, however many learners completed the module."""
    count = Enrolment.objects.filter(module=module, completed_at__isnull=False).count()
    if count:
        transaction.on_commit(partial(module_certificates_regenerate_all.enqueue, module.pk))
    return count


# Time on lesson pages ------------------------------------------------------------------

# One visit counts for at most half an hour, so a tab left open does not count for hours.
LESSON_TIME_CAP_SECONDS = 30 * 60


@transaction.atomic
def lesson_time_record(
    *, learner: User, lesson: LessonPage, module: ModulePage, seconds: int
) -> Enrolment:
    """Add the seconds a learner spent on a lesson page (one visit, capped at
    `LESSON_TIME_CAP_SECONDS`) to their enrolment in its module, enrolling them if needed.

    The addition is done by the database (an F() expression), so two tabs reporting at once
    both count.
    """
    if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 1:
        raise ValueError("seconds must be a positive whole number.")
    enrolment = _enrolment_for_update(learner=learner, module=module)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        seconds_on_page=F("seconds_on_page") + min(seconds, LESSON_TIME_CAP_SECONDS)
    )
    enrolment.refresh_from_db(fields=["seconds_on_page"])
    return enrolment
