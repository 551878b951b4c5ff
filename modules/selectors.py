"""Reads for lesson, module and programme pages, each a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from accounts.models import User

from .models import (
    ChecklistProgress,
    JournalEntry,
    KnowledgeCheckAttempt,
    LessonPage,
    ModulePage,
)


@dataclass
class LessonNavigation:
    module: ModulePage | None
    lessons: list[LessonPage]
    position: int
    previous: LessonPage | None
    next: LessonPage | None


def lesson_module(lesson: LessonPage) -> ModulePage | None:
    return ModulePage.objects.parent_of(lesson).first()


def lesson_navigation(lesson: LessonPage) -> LessonNavigation:
    """The lesson's module and its live lessons in order (two queries)."""
    module = lesson_module(lesson)
    lessons = module_lessons(module) if module is not None else []
    ids = [page.pk for page in lessons]
    position = ids.index(lesson.pk) if lesson.pk in ids else -1
    previous = lessons[position - 1] if position > 0 else None
    following = lessons[position + 1] if 0 <= position < len(lessons) - 1 else None
    return LessonNavigation(module, lessons, position, previous, following)


@dataclass
class LessonAnswers:
    journal: dict[str, JournalEntry] = field(default_factory=dict)
    checklists: dict[str, ChecklistProgress] = field(default_factory=dict)
    attempts: dict[str, list[KnowledgeCheckAttempt]] = field(default_factory=dict)


def lesson_answers(*, learner: User, lesson: LessonPage) -> LessonAnswers:
    """Everything this learner has saved in this lesson (three queries, any lesson size).

    Only the learner's own rows are ever read: every query filters on `learner`.
    """
    if not learner.is_authenticated:
        return LessonAnswers()
    attempts: dict[str, list[KnowledgeCheckAttempt]] = defaultdict(list)
    for attempt in KnowledgeCheckAttempt.objects.filter(learner=learner, lesson=lesson).order_by(
        "-created_at", "-pk"
    ):
        attempts[attempt.block_id].append(attempt)
    return LessonAnswers(
        journal={
            entry.block_id: entry
            for entry in JournalEntry.objects.filter(learner=learner, lesson=lesson)
        },
        checklists={
            progress.block_id: progress
            for progress in ChecklistProgress.objects.filter(learner=learner, lesson=lesson)
        },
        attempts=dict(attempts),
    )


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
