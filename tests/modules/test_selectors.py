"""`lesson_answers`: a learner's answers in a lesson and its completion, in one query, read
into the models exactly as the ORM reads them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from modules.models import ChecklistProgress, JournalEntry, KnowledgeCheckAttempt, LessonCompletion
from modules.selectors import lesson_answers
from tests.modules.test_lessons import answer_everything

JOURNAL_FIELDS = ("id", "block_id", "kind", "text", "due_on", "plan", "act", "observe", "reflect")


@pytest.fixture
def answered(lesson_tree, learner, other_learner):
    _programme, module, (lesson, other_lesson, _third) = lesson_tree
    answer_everything(learner, lesson, module, attempts=3)
    # Nobody else's answers, and none of the learner's other lessons, are ever read.
    answer_everything(other_learner, lesson, module, attempts=2)
    answer_everything(learner, other_lesson, module, attempts=1)
    return lesson


@pytest.mark.django_db
def test_every_kind_of_answer_is_read_as_the_orm_reads_it(answered, learner):
    with CaptureQueriesContext(connection) as captured:
        answers = lesson_answers(learner=learner, lesson=answered, with_completion=True)

    assert len(captured) == 1
    mine = {"learner": learner, "lesson": answered}
    journal = {entry.block_id: entry for entry in JournalEntry.objects.filter(**mine)}
    assert answers.journal.keys() == journal.keys() and len(journal) == 3
    for block_id, entry in journal.items():
        read = answers.journal[block_id]
        assert [getattr(read, name) for name in JOURNAL_FIELDS] == [
            getattr(entry, name) for name in JOURNAL_FIELDS
        ]
        assert read.due_on == datetime.date(2027, 3, 27)
        assert read.created_at == entry.created_at and read.created_at.tzinfo is not None
        assert read.updated_at == entry.updated_at

    (progress,) = ChecklistProgress.objects.filter(**mine)
    read_progress = answers.checklists[progress.block_id]
    assert read_progress.ticked == progress.ticked and isinstance(read_progress.ticked, list)
    assert read_progress.updated_at == progress.updated_at

    attempts = list(KnowledgeCheckAttempt.objects.filter(**mine).order_by("-created_at", "-pk"))
    (read_attempts,) = answers.attempts.values()
    assert [a.pk for a in read_attempts] == [a.pk for a in attempts] and len(attempts) == 3
    assert [(a.selected, a.is_correct, a.created_at) for a in read_attempts] == [
        (a.selected, a.is_correct, a.created_at) for a in attempts
    ]
    assert {type(a.is_correct) for a in read_attempts} == {bool}

    completion = LessonCompletion.objects.get(**mine)
    assert answers.completion is not None
    assert answers.completion.pk == completion.pk
    assert answers.completion.completed_at == completion.completed_at


@pytest.mark.django_db
def test_the_completion_is_read_only_when_asked_for(answered, learner):
    with CaptureQueriesContext(connection) as captured:
        answers = lesson_answers(learner=learner, lesson=answered)

    assert answers.completion is None and answers.journal
    assert "modules_lessoncompletion" not in captured.captured_queries[0]["sql"]


@pytest.mark.django_db
def test_a_learner_with_no_answers_gets_none(answered, lesson_tree):
    from tests.factories import UserFactory

    newcomer = UserFactory()
    answers = lesson_answers(learner=newcomer, lesson=answered, with_completion=True)

    assert (answers.journal, answers.checklists, answers.attempts) == ({}, {}, {})
    assert answers.completion is None


@pytest.mark.django_db
def test_read_answers_save_only_what_they_read(answered, learner):
    """The rows are read like `.only()`: the other fields are deferred, not blank."""
    answers = lesson_answers(learner=learner, lesson=answered)
    entry = next(iter(answers.journal.values()))

    assert entry.get_deferred_fields() == {
        "learner_id",
        "lesson_id",
        "module_id",
        "lesson_title",
        "module_title",
        "prompt",
    }
    assert entry.prompt == "Prompt"  # read on demand, as a deferred field is
