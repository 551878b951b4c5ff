"""Progress services: completing lessons, the stored summary, and what content edits do."""

import threading

import pytest
from django.db import connection

from modules import services
from modules.models import Enrolment, LessonCompletion, LessonPage
from tests.modules.conftest import build_module, publish


@pytest.fixture
def module_tree(home_page):
    _programme, module, lessons = build_module(home_page, lessons=3)
    return module, lessons


@pytest.mark.django_db
def test_visiting_a_lesson_enrols_and_records_the_last_lesson(learner, module_tree):
    module, (first, second, _third) = module_tree

    services.lesson_visit(learner=learner, lesson=first, module=module)
    enrolment = services.lesson_visit(learner=learner, lesson=second, module=module)

    assert Enrolment.objects.count() == 1
    assert enrolment.last_lesson_id == second.pk
    assert (enrolment.lessons_total, enrolment.lessons_completed) == (3, 0)


@pytest.mark.django_db
def test_completing_every_lesson_completes_the_module(learner, module_tree):
    module, lessons = module_tree

    for lesson in lessons[:2]:
        enrolment = services.lesson_complete(learner=learner, lesson=lesson, module=module)
    assert (enrolment.lessons_completed, enrolment.percent_complete) == (2, 67)
    assert enrolment.completed_at is None

    enrolment = services.lesson_complete(learner=learner, lesson=lessons[2], module=module)
    assert enrolment.is_complete and enrolment.percent_complete == 100


@pytest.mark.django_db
def test_completing_twice_keeps_one_record(learner, module_tree):
    module, (first, *_rest) = module_tree

    for _click in range(3):
        enrolment = services.lesson_complete(learner=learner, lesson=first, module=module)

    assert LessonCompletion.objects.filter(learner=learner).count() == 1
    assert enrolment.lessons_completed == 1


@pytest.mark.django_db
def test_uncomplete_undoes_the_completion_and_the_module_date(learner, module_tree):
    module, lessons = module_tree
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=module)

    enrolment = services.lesson_uncomplete(learner=learner, lesson=lessons[1], module=module)

    assert (enrolment.lessons_completed, enrolment.completed_at) == (2, None)
    assert not LessonCompletion.objects.filter(lesson=lessons[1]).exists()


@pytest.mark.django_db
def test_a_new_lesson_keeps_the_completion_date_and_lowers_the_percentage(learner, module_tree):
    module, lessons = module_tree
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=module)
    completed_at = Enrolment.objects.get().completed_at

    publish(module, LessonPage(title="A new lesson", slug="new", body=[]))

    enrolment = Enrolment.objects.get()
    assert enrolment.completed_at == completed_at
    assert (enrolment.lessons_completed, enrolment.lessons_total) == (3, 4)
    assert enrolment.percent_complete == 75


@pytest.mark.django_db
def test_unpublishing_or_deleting_a_lesson_never_deletes_completions(learner, module_tree):
    module, (first, second, third) = module_tree
    for lesson in (first, second):
        services.lesson_complete(learner=learner, lesson=lesson, module=module)

    LessonPage.objects.get(pk=second.pk).unpublish()
    assert LessonCompletion.objects.filter(learner=learner).count() == 2
    assert Enrolment.objects.get().lessons_completed == 1
    assert Enrolment.objects.get().lessons_total == 2

    LessonPage.objects.get(pk=first.pk).delete()
    completions = LessonCompletion.objects.filter(learner=learner)
    assert completions.count() == 2
    assert set(completions.values_list("lesson_title", flat=True)) == {"Lesson 1", "Lesson 2"}
    assert (Enrolment.objects.get().lessons_completed, Enrolment.objects.get().lessons_total) == (
        0,
        1,
    )


@pytest.mark.django_db(transaction=True)
def test_two_tabs_completing_at_once_leave_one_record(site_home, learner):
    _programme, module, (lesson, *_rest) = build_module(site_home, lessons=2)
    barrier = threading.Barrier(2)
    errors = []

    def complete():
        try:
            barrier.wait(timeout=5)
            services.lesson_complete(learner=learner, lesson=lesson, module=module)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _tab in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert LessonCompletion.objects.filter(learner=learner).count() == 1
    assert Enrolment.objects.filter(learner=learner).count() == 1
    assert Enrolment.objects.get(learner=learner).lessons_completed == 1


@pytest.mark.django_db(transaction=True)
def test_completing_the_last_lesson_issues_one_certificate(site_home, learner):
    from modules.models import Certificate

    _programme, module, lessons = build_module(site_home, lessons=2)
    services.lesson_complete(learner=learner, lesson=lessons[0], module=module)
    assert not Certificate.objects.exists()

    for _click in range(2):
        services.lesson_complete(learner=learner, lesson=lessons[1], module=module)

    certificate = Certificate.objects.get()
    assert (certificate.learner, certificate.module_title) == (learner, module.title)
