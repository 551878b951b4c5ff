"""Reads for a learner's "My learning" dashboard, a fixed number of queries however many
modules they have started.

Every query filters on the learner, so nobody else's progress can appear.
"""

from dataclasses import dataclass

from django.db.models import F, Q, Sum
from django.utils.translation import ngettext

from accounts.models import User

from .models import Enrolment, LessonCompletion, LessonPage, ModulePage

SUGGESTIONS = 3


def duration_text(minutes: int) -> str:
    """Minutes as words: "2 hours 5 minutes", "1 hour", "45 minutes", "0 minutes"."""
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


@dataclass
class LearningTime:
    estimated_minutes: int
    measured_seconds: int

    @property
    def total_minutes(self) -> int:
        return self.estimated_minutes + self.measured_seconds // 60

    @property
    def estimated_text(self) -> str:
        return duration_text(self.estimated_minutes)

    @property
    def measured_text(self) -> str:
        return duration_text(self.measured_seconds // 60)

    @property
    def total_text(self) -> str:
        return duration_text(self.total_minutes)


@dataclass
class MyLearning:
    in_progress: list[Enrolment]
    completed: list[Enrolment]
    suggested: list[ModulePage]
    learning_time: LearningTime

    @property
    def is_empty(self) -> bool:
        return not (self.in_progress or self.completed)


def resume_page(enrolment: Enrolment) -> LessonPage | ModulePage | None:
    """Where "Resume" goes: the last lesson visited, else the module, if still live."""
    if enrolment.last_lesson is not None and enrolment.last_lesson.live:
        return enrolment.last_lesson
    if enrolment.module is not None and enrolment.module.live:
        return enrolment.module
    return None


def learner_enrolments(learner: User) -> list[Enrolment]:
    """All the learner's enrolments with their module, last lesson and certificate (one
    query)."""
    enrolments = list(
        Enrolment.objects.filter(learner=learner)
        .select_related("module", "last_lesson", "certificate")
        .order_by(F("last_visited_at").desc(nulls_last=True), "-started_at", "-pk")
    )
    for enrolment in enrolments:
        enrolment.resume = resume_page(enrolment)
        # A completed module keeps its date when lessons are added later (rule 3).
        enrolment.new_lessons = (
            max(0, enrolment.lessons_total - enrolment.lessons_completed)
            if enrolment.is_complete
            else 0
        )
    return enrolments


def completed_lesson_minutes(learner: User) -> int:
    """The estimated minutes of every lesson the learner has completed (one query)."""
    total = LessonCompletion.objects.filter(learner=learner).aggregate(
        minutes=Sum("lesson__estimated_minutes")
    )["minutes"]
    return total or 0


def suggested_modules(*, enrolments: list[Enrolment], limit: int = SUGGESTIONS) -> list[ModulePage]:
    """Live modules in the programmes of the learner's enrolments that they have not
    started, in tree order (one query, none if they have started nothing)."""
    modules = [enrolment.module for enrolment in enrolments if enrolment.module is not None]
    if not modules:
        return []
    steplen = ModulePage.steplen
    programme_paths = {module.path[:-steplen] for module in modules}
    in_programmes = Q()
    for path in sorted(programme_paths):
        in_programmes |= Q(path__startswith=path, depth=len(path) // steplen + 1)
    return list(
        ModulePage.objects.live()
        .public()
        .filter(in_programmes)
        .exclude(pk__in=[module.pk for module in modules])
        .order_by("path")
        .only("id", "title", "slug", "url_path", "path", "depth", "summary", "estimated_minutes")[
            :limit
        ]
    )


def my_learning(learner: User) -> MyLearning:
    """Everything the dashboard shows (three queries)."""
    enrolments = learner_enrolments(learner)
    in_progress = [enrolment for enrolment in enrolments if not enrolment.is_complete]
    completed = sorted(
        (enrolment for enrolment in enrolments if enrolment.is_complete),
        key=lambda enrolment: enrolment.completed_at,
        reverse=True,
    )
    return MyLearning(
        in_progress=in_progress,
        completed=completed,
        suggested=suggested_modules(enrolments=enrolments),
        learning_time=LearningTime(
            estimated_minutes=completed_lesson_minutes(learner),
            measured_seconds=sum(enrolment.seconds_on_page for enrolment in enrolments),
        ),
    )
