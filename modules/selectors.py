"""Reads for lesson, module and programme pages, each a fixed number of queries."""

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connections, router
from django.db.models import Field, Model

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
    completion: LessonCompletion | None = None


# Which answers each interactive block type keeps.
JOURNAL_BLOCK_TYPES = frozenset({"reflection", "action_commitment", "learning_cycle"})


# A learner's answers in a lesson, in one query ----------------------------------------
#
# The lesson page reads up to four tables for the learner (journal entries, checklist
# ticks, knowledge-check attempts and the lesson's completion) on every visit. For queries
# this small the ORM spends most of the time writing the SQL, so they are one UNION ALL of
# fixed SQL, written once per database and set of tables from the models' own table and
# column names. Each row is read into its model as `.only()` would read it (the database's
# and the fields' own converters, then `Model.from_db`), with the fields below loaded and
# the others deferred.


@dataclass(frozen=True)
class _AnswerTable:
    model: type[Model]
    # The fields read, each into the column of the same name in `_COLUMNS` unless mapped.
    fields: tuple[str, ...]
    columns: dict[str, str] = field(default_factory=dict)


_COLUMNS = (
    "id",
    "block_id",
    "kind",
    "text",
    "due_on",
    "plan",
    "act",
    "observe",
    "reflect",
    "choices",
    "is_correct",
    "created_at",
    "updated_at",
)
# JSON columns are read as text, the same in SQLite and PostgreSQL.
_JSON_COLUMNS = frozenset({"choices"})
_ANSWER_TABLES = {
    "journal": _AnswerTable(
        JournalEntry,
        (
            "id",
            "block_id",
            "kind",
            "text",
            "due_on",
            "plan",
            "act",
            "observe",
            "reflect",
            "created_at",
            "updated_at",
        ),
    ),
    "checklist": _AnswerTable(
        ChecklistProgress, ("id", "block_id", "ticked", "updated_at"), {"ticked": "choices"}
    ),
    "attempt": _AnswerTable(
        KnowledgeCheckAttempt,
        ("id", "block_id", "selected", "is_correct", "created_at"),
        {"selected": "choices"},
    ),
    "completion": _AnswerTable(
        LessonCompletion, ("id", "completed_at"), {"completed_at": "created_at"}
    ),
}


def _field(model: type[Model], name: str) -> Field:
    return cast(Field, model._meta.get_field(name))


@functools.cache
def _answers_sql(alias: str, tables: tuple[str, ...]) -> str:
    """SELECT '<table>', <the columns, NULL where the table has none> FROM <table>
    WHERE learner_id = %s AND lesson_id = %s, for each table, joined by UNION ALL.

    The column types are the same in every SELECT (PostgreSQL types a UNION's columns
    pair by pair): a missing column is a NULL cast to the type the other tables give it,
    and JSON is read as text."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    db_types = dict.fromkeys(_JSON_COLUMNS, "TEXT")
    for table in _ANSWER_TABLES.values():
        for field_name in table.fields:
            column = table.columns.get(field_name, field_name)
            db_types.setdefault(column, str(_field(table.model, field_name).db_type(connection)))
    selects = []
    for name in tables:
        table = _ANSWER_TABLES[name]
        by_column = {
            table.columns.get(field_name, field_name): str(_field(table.model, field_name).column)
            for field_name in table.fields
        }
        values = []
        for column in _COLUMNS:
            source = by_column.get(column)
            if source is None:
                values.append(f"CAST(NULL AS {db_types[column]})")
            elif column in _JSON_COLUMNS:
                values.append(f"CAST({quote(source)} AS TEXT)")
            else:
                values.append(quote(source))
        learner_column = quote(str(_field(table.model, "learner").column))
        lesson_column = quote(str(_field(table.model, "lesson").column))
        # Only names from our models' metadata and `_ANSWER_TABLES`; the ids are params.
        selects.append(
            f"SELECT '{name}', {', '.join(values)} "  # noqa: S608
            f"FROM {quote(table.model._meta.db_table)} "
            f"WHERE {learner_column} = %s AND {lesson_column} = %s"
        )
    return " UNION ALL ".join(selects)


@functools.cache
def _row_layout(name: str) -> tuple[tuple[str, int, Any], ...]:
    """For each field of the table: its attname, its position in a row, its column."""
    table = _ANSWER_TABLES[name]
    layout = []
    for field_name in table.fields:
        model_field = _field(table.model, field_name)
        position = 1 + _COLUMNS.index(table.columns.get(field_name, field_name))
        layout.append(
            (model_field.attname, position, model_field.get_col(table.model._meta.db_table))
        )
    return tuple(layout)


def _row_reader(connection, name: str) -> Callable[[tuple], Model]:
    """Reads a row of `_answers_sql` into its model as the ORM would: the database's and
    the fields' converters, then `Model.from_db`."""
    layout = [
        (
            attname,
            position,
            column,
            [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)],
        )
        for attname, position, column in _row_layout(name)
    ]
    attnames = [attname for attname, _position, _column, _converters in layout]
    model = _ANSWER_TABLES[name].model

    def read(row: tuple) -> Model:
        values = []
        for _attname, position, column, converters in layout:
            value = row[position]
            for convert in converters:
                value = convert(value, column, connection)
            values.append(value)
        return model.from_db(connection.alias, attnames, values)

    return read


def lesson_answers(
    *, learner: User, lesson: LessonPage, with_completion: bool = False
) -> LessonAnswers:
    """Everything this learner has saved in this lesson, and with `with_completion` when
    they completed it: one query, any lesson size, reading only the tables the lesson has
    blocks for (none for a lesson of text alone, unless the completion is asked for).

    Only the learner's own rows are ever read: every part of the query filters on them.
    """
    if not learner.is_authenticated:
        return LessonAnswers()
    block_types = {block.block_type for block in lesson.body}
    tables = []
    if block_types & JOURNAL_BLOCK_TYPES:
        tables.append("journal")
    if "checklist" in block_types:
        tables.append("checklist")
    if "knowledge_check" in block_types:
        tables.append("attempt")
    if with_completion:
        tables.append("completion")
    answers = LessonAnswers()
    if not tables:
        return answers
    alias = router.db_for_read(JournalEntry)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(_answers_sql(alias, tuple(tables)), [learner.pk, lesson.pk] * len(tables))
        rows = cursor.fetchall()
    readers = {name: _row_reader(connection, name) for name in tables}
    attempts: dict[str, list[KnowledgeCheckAttempt]] = defaultdict(list)
    for row in rows:
        answer = readers[row[0]](row)
        if isinstance(answer, JournalEntry):
            answers.journal[answer.block_id] = answer
        elif isinstance(answer, ChecklistProgress):
            answers.checklists[answer.block_id] = answer
        elif isinstance(answer, KnowledgeCheckAttempt):
            attempts[answer.block_id].append(answer)
        elif isinstance(answer, LessonCompletion):
            answers.completion = answer
    # The latest attempt first, as `order_by("-created_at", "-pk")` would give them.
    answers.attempts = {
        block_id: sorted(found, key=lambda a: (a.created_at, a.pk), reverse=True)
        for block_id, found in attempts.items()
    }
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
