"""Reads for lesson, module and programme pages, each a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from accounts.models import User

from .models import (
    Certificate,
    ChecklistProgress,
    Enrolment,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonCompletion,
    LessonPage,
    ModulePage,
)


@dataclass
class LessonAnswers:
    journal: dict[str, JournalEntry] = field(default_factory=dict)
    checklists: dict[str, ChecklistProgress] = field(default_factory=dict)
    attempts: dict[str, list[KnowledgeCheckAttempt]] = field(default_factory=dict)


# Which answers each interactive block type keeps.
JOURNAL_BLOCK_TYPES = frozenset({"reflection", "action_commitment", "learning_cycle"})


def lesson_answers(*, learner: User, lesson: LessonPage) -> LessonAnswers:
    """Everything this learner has saved in this lesson: at most three queries, any lesson
    size, and none for the kinds of answer the lesson has no block for.

    Only the learner's own rows are ever read: every query filters on `learner`.
    """
    if not learner.is_authenticated:
        return LessonAnswers()
    block_types = {block.block_type for block in lesson.body}
    answers = LessonAnswers()
    if block_types & JOURNAL_BLOCK_TYPES:
        answers.journal = {
            entry.block_id: entry
            for entry in JournalEntry.objects.filter(learner=learner, lesson=lesson)
        }
    if "checklist" in block_types:
        answers.checklists = {
            progress.block_id: progress
            for progress in ChecklistProgress.objects.filter(learner=learner, lesson=lesson)
        }
    if "knowledge_check" in block_types:
        attempts: dict[str, list[KnowledgeCheckAttempt]] = defaultdict(list)
        for attempt in KnowledgeCheckAttempt.objects.filter(
            learner=learner, lesson=lesson
        ).order_by("-created_at", "-pk"):
            attempts[attempt.block_id].append(attempt)
        answers.attempts = dict(attempts)
    return answers


def module_lessons(module: ModulePage) -> list[LessonPage]:
    return list(
        LessonPage.objects.child_of(module)
        .live()
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "estimated_minutes")
    )


def programme_modules(programme) -> list[ModulePage]:
    return list(
        ModulePage.objects.child_of(programme)
        .live()
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "summary", "estimated_minutes")
    )


# Progress ------------------------------------------------------------------------------
#
# What a learner sees of their own progress. Every query filters on the learner, so no
# one else's progress is ever read (DESIGN rule 1), and each function costs a fixed
# number of queries however many lessons or modules there are.


class LessonStatus:
    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


@dataclass
class LessonProgress:
    lesson: LessonPage
    status: str
    completed_at: datetime.datetime | None = None


@dataclass
class ModuleProgress:
    """A learner's progress through a module's live lessons, as they are today."""

    enrolment: Enrolment | None
    rows: list[LessonProgress]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def completed(self) -> int:
        return sum(row.status == LessonStatus.COMPLETED for row in self.rows)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.enrolment is not None and self.enrolment.completed_at is not None

    @property
    def new_since_completion(self) -> int:
        """Lessons the learner has not completed in a module they completed before."""
        return self.total - self.completed if self.is_complete else 0

    @property
    def resume(self) -> LessonPage | None:
        """The last visited lesson if it is still live, else the first one not completed."""
        if self.enrolment is None:
            return None
        last_id = self.enrolment.last_lesson_id
        for row in self.rows:
            if row.lesson.pk == last_id:
                return row.lesson
        return next(
            (row.lesson for row in self.rows if row.status != LessonStatus.COMPLETED),
            self.rows[0].lesson if self.rows else None,
        )


def learner_enrolment(*, learner: User, module: ModulePage) -> Enrolment | None:
    if not learner.is_authenticated:
        return None
    return Enrolment.objects.filter(learner=learner, module=module).first()


def learner_completions(
    *, learner: User, lessons: list[LessonPage]
) -> dict[int, datetime.datetime]:
    """When the learner completed each of these lessons they have completed (one query)."""
    if not learner.is_authenticated or not lessons:
        return {}
    return dict(
        LessonCompletion.objects.filter(
            learner=learner, lesson_id__in=[lesson.pk for lesson in lessons]
        ).values_list("lesson_id", "completed_at")
    )


def module_progress_for_learner(
    *, learner: User, module: ModulePage, lessons: list[LessonPage]
) -> ModuleProgress | None:
    """The learner's status for each of the module's live lessons (two queries).

    None for anonymous visitors, who see the module without progress.
    """
    if not learner.is_authenticated:
        return None
    enrolment = learner_enrolment(learner=learner, module=module)
    completions = learner_completions(learner=learner, lessons=lessons) if enrolment else {}
    last_id = enrolment.last_lesson_id if enrolment else None
    rows = []
    for lesson in lessons:
        if lesson.pk in completions:
            rows.append(LessonProgress(lesson, LessonStatus.COMPLETED, completions[lesson.pk]))
        elif lesson.pk == last_id:
            rows.append(LessonProgress(lesson, LessonStatus.IN_PROGRESS))
        else:
            rows.append(LessonProgress(lesson, LessonStatus.NOT_STARTED))
    return ModuleProgress(enrolment, rows)


@dataclass
class ModuleListing:
    module: ModulePage
    enrolment: Enrolment | None = None

    @property
    def status(self) -> str:
        if self.enrolment is None:
            return LessonStatus.NOT_STARTED
        if self.enrolment.completed_at is not None:
            return LessonStatus.COMPLETED
        return LessonStatus.IN_PROGRESS


def programme_progress_for_learner(
    *, learner: User, modules: list[ModulePage]
) -> list[ModuleListing]:
    """Each module with the learner's enrolment in it, if any (one query for them all)."""
    enrolments: dict[int | None, Enrolment] = {}
    if learner.is_authenticated and modules:
        enrolments = {
            enrolment.module_id: enrolment
            for enrolment in Enrolment.objects.filter(
                learner=learner, module_id__in=[module.pk for module in modules]
            )
        }
    return [ModuleListing(module, enrolments.get(module.pk)) for module in modules]


def completed_enrolment(*, learner: User, module_id: int) -> Enrolment | None:
    """The learner's enrolment in a live module they have completed, with the module."""
    if not learner.is_authenticated:
        return None
    return (
        Enrolment.objects.filter(
            learner=learner, module_id=module_id, completed_at__isnull=False, module__live=True
        )
        .select_related("module")
        .first()
    )


def module_next(module: ModulePage) -> ModulePage | None:
    """The next live module after this one in its programme, if any."""
    return (
        ModulePage.objects.sibling_of(module, inclusive=False)
        .live()
        .filter(path__gt=module.path)
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth")
        .first()
    )


def learner_certificate(*, learner: User, module: ModulePage) -> Certificate | None:
    """The learner's certificate for the module, once it has been issued."""
    if not learner.is_authenticated:
        return None
    return Certificate.objects.filter(learner=learner, module=module).only("code").first()
