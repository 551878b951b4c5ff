"""What learners see of their progress: marking lessons complete, the module-complete
page, and progress on module and programme pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from modules import services
from modules.models import Certificate, Enrolment, LessonCompletion, LessonPage
from tests.factories import UserFactory
from tests.modules.conftest import build_module, publish
from tests.modules.test_pages import lesson_queries


def complete_url(lesson_id: int) -> str:
    return f"/learn/lessons/{lesson_id}/complete/"


def uncomplete_url(lesson_id: int) -> str:
    return f"/learn/lessons/{lesson_id}/uncomplete/"


def module_complete_url(module_id: int) -> str:
    return f"/learn/modules/{module_id}/complete/"


def nothing_written() -> bool:
    return not Enrolment.objects.exists() and not LessonCompletion.objects.exists()


# Opening and completing lessons --------------------------------------------------------


@pytest.mark.django_db
def test_opening_a_lesson_records_the_visit(signed_in, learner, lesson_tree):
    _programme, module, (_first, second, _third) = lesson_tree

    html = signed_in.get(second.url).content.decode()

    enrolment = Enrolment.objects.get(learner=learner)
    assert (enrolment.module_id, enrolment.last_lesson_id) == (module.pk, second.pk)
    assert "Mark as complete and continue" in html
    assert f'action="{complete_url(second.pk)}"' in html
    assert "csrfmiddlewaretoken" in html
    assert f'data-url="/learn/lessons/{second.pk}/time/"' in html


@pytest.mark.django_db
def test_mark_complete_goes_to_the_next_lesson(signed_in, learner, lesson_tree):
    _programme, _module, (first, second, _third) = lesson_tree

    response = signed_in.post(complete_url(first.pk))

    assert response.status_code == 302
    assert response["Location"] == second.url
    assert LessonCompletion.objects.get(learner=learner).lesson_id == first.pk


@pytest.mark.django_db
def test_completing_the_last_lesson_shows_the_module_complete_page(signed_in, learner, lesson_tree):
    _programme, module, lessons = lesson_tree
    for lesson in lessons[:2]:
        signed_in.post(complete_url(lesson.pk))

    response = signed_in.post(complete_url(lessons[2].pk))

    assert response["Location"] == module_complete_url(module.pk)
    Enrolment.objects.update(completed_at=datetime.datetime(2027, 3, 3, 9, 0, tzinfo=datetime.UTC))
    page = signed_in.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Module complete" in html and 'class="nhsuk-panel"' in html
    assert "Completed on 3 March 2027" in html
    assert f'href="{module.url}"' in html
    assert 'href="/learn/"' in html


@pytest.mark.django_db
def test_module_complete_page_offers_the_certificate(
    signed_in, learner, lesson_tree, django_capture_on_commit_callbacks
):
    _programme, module, lessons = lesson_tree
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            services.lesson_complete(learner=learner, lesson=lesson, module=module)
    certificate = Certificate.objects.get(learner=learner, module=module)

    html = signed_in.get(module_complete_url(module.pk)).content.decode()

    assert f'href="/learn/certificates/{certificate.code}.pdf"' in html


@pytest.mark.django_db
def test_module_complete_date_is_shown_in_london_time(signed_in, learner, lesson_tree):
    _programme, module, lessons = lesson_tree
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=module)
    # 23:30 UTC on 3 July is 00:30 on 4 July in London (BST).
    Enrolment.objects.update(
        completed_at=datetime.datetime(2027, 7, 3, 23, 30, tzinfo=datetime.UTC)
    )

    html = signed_in.get(module_complete_url(module.pk)).content.decode()

    assert "Completed on 4 July 2027" in html


@pytest.mark.django_db
def test_module_complete_page_links_to_the_next_module(signed_in, learner, home_page):
    _programme, first_module, lessons = build_module(home_page, lessons=1, slug="first")
    _programme, next_module, _ = build_module(home_page, lessons=1, slug="second")
    services.lesson_complete(learner=learner, lesson=lessons[0], module=first_module)

    html = signed_in.get(module_complete_url(first_module.pk)).content.decode()

    assert f'href="{next_module.url}"' in html


@pytest.mark.django_db
def test_last_lesson_with_others_left_goes_to_the_module_page(signed_in, lesson_tree):
    _programme, module, lessons = lesson_tree

    response = signed_in.post(complete_url(lessons[2].pk))

    assert response["Location"] == module.url
    assert Enrolment.objects.get().completed_at is None


@pytest.mark.django_db
def test_module_complete_page_is_404_until_the_module_is_complete(
    signed_in, learner, other_learner, lesson_tree
):
    _programme, module, lessons = lesson_tree
    services.lesson_complete(learner=learner, lesson=lessons[0], module=module)
    for lesson in lessons:
        services.lesson_complete(learner=other_learner, lesson=lesson, module=module)

    assert signed_in.get(module_complete_url(module.pk)).status_code == 404
    assert signed_in.get(module_complete_url(999999)).status_code == 404


@pytest.mark.django_db
def test_a_completed_lesson_can_be_marked_as_not_complete(signed_in, learner, lesson_tree):
    _programme, _module, (first, _second, _third) = lesson_tree
    signed_in.post(complete_url(first.pk))

    html = signed_in.get(first.url).content.decode()
    assert "You completed this lesson on" in html
    assert "Mark as not complete" in html and "Mark as complete and continue" not in html

    response = signed_in.post(uncomplete_url(first.pk))

    assert response["Location"] == first.url
    assert not LessonCompletion.objects.exists()
    assert "Mark as complete and continue" in signed_in.get(first.url).content.decode()


@pytest.mark.django_db
def test_double_posts_record_one_completion(signed_in, learner, lesson_tree):
    _programme, _module, (first, second, _third) = lesson_tree

    responses = [signed_in.post(complete_url(first.pk)) for _ in range(2)]

    assert [r["Location"] for r in responses] == [second.url, second.url]
    assert LessonCompletion.objects.filter(learner=learner).count() == 1
    assert Enrolment.objects.get(learner=learner).lessons_completed == 1
    signed_in.post(uncomplete_url(first.pk))
    assert signed_in.post(uncomplete_url(first.pk)).status_code == 302
    assert not LessonCompletion.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [complete_url, uncomplete_url])
def test_lessons_the_learner_cannot_open_are_404_and_write_nothing(signed_in, lesson_tree, url):
    programme, module, (first, second, _third) = lesson_tree
    LessonPage.objects.get(pk=second.pk).unpublish()
    draft = LessonPage(title="Draft", slug="draft", body=[], estimated_minutes=5, live=False)
    module.add_child(instance=draft)
    draft.save_revision()

    for lesson_id in (second.pk, draft.pk, 999999, module.pk, programme.pk, 1):
        assert signed_in.post(url(lesson_id)).status_code == 404, lesson_id
    assert nothing_written()


@pytest.mark.django_db
def test_lessons_in_an_unpublished_module_are_404(signed_in, lesson_tree):
    _programme, module, (first, _second, _third) = lesson_tree
    Page.objects.filter(pk=module.pk).update(live=False)  # the lessons stay live

    assert signed_in.post(complete_url(first.pk)).status_code == 404
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [complete_url, uncomplete_url])
def test_anonymous_posts_go_to_sign_in_and_back_to_the_lesson(client, lesson, url):
    response = client.post(url(lesson.pk))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"
    assert client.post(url(999999)).status_code == 404
    assert nothing_written()


@pytest.mark.django_db
def test_anonymous_start_module_goes_to_sign_in_and_back(client, lesson_tree):
    _programme, module, _lessons = lesson_tree

    response = client.post(f"/learn/modules/{module.pk}/start/")

    assert response["Location"] == f"/accounts/login/?next={module.url}"
    assert nothing_written()


@pytest.mark.django_db
def test_anonymous_module_complete_page_goes_to_sign_in(client, lesson_tree):
    _programme, module, _lessons = lesson_tree

    response = client.get(module_complete_url(module.pk))

    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_unverified_learners_are_asked_to_confirm_and_nothing_is_written(client, lesson):
    client.force_login(UserFactory(verified=False))

    response = client.post(complete_url(lesson.pk))

    assert response["Location"] == "/accounts/email/"
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [complete_url, uncomplete_url])
def test_get_is_not_allowed(signed_in, lesson, url):
    assert signed_in.get(url(lesson.pk)).status_code == 405
    assert nothing_written()


@pytest.mark.django_db
def test_previews_do_not_record_visits_or_show_the_buttons(client, lesson, learner):
    client.force_login(learner)
    learner.is_superuser = True
    learner.save()

    html = client.get(f"/admin/pages/{lesson.pk}/view_draft/").content.decode()

    assert "Mark as complete" not in html
    assert nothing_written()


# Module page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_module_page_shows_progress_and_each_lessons_status(signed_in, learner, home_page):
    _programme, module, lessons = build_module(home_page, lessons=5)
    for lesson in lessons[:2]:
        services.lesson_complete(learner=learner, lesson=lesson, module=module)
    services.lesson_visit(learner=learner, lesson=lessons[3], module=module)

    html = signed_in.get(module.url).content.decode()

    assert "2 of 5 lessons complete (40%)" in html
    assert 'role="progressbar"' in html
    assert 'aria-valuenow="2"' in html and 'aria-valuemax="5"' in html
    assert 'aria-valuemin="0"' in html
    assert 'class="nhsuk-task-list"' in html
    assert html.count(">Completed</strong>") == 2
    assert html.count(">In progress</strong>") == 1
    assert html.count(">Not started</strong>") == 2
    assert "Resume" in html and f'href="{lessons[3].url}">Resume' in html


@pytest.mark.django_db
def test_start_module_enrols_and_opens_the_first_lesson(signed_in, learner, lesson_tree):
    _programme, module, lessons = lesson_tree
    html = signed_in.get(module.url).content.decode()
    assert "Start module" in html and "0 of 3 lessons complete (0%)" in html

    responses = [signed_in.post(f"/learn/modules/{module.pk}/start/") for _ in range(2)]

    assert responses[0]["Location"] == lessons[0].url
    assert Enrolment.objects.filter(learner=learner, module=module).count() == 1
    assert "Start module" not in signed_in.get(module.url).content.decode()


@pytest.mark.django_db
def test_start_module_refuses_what_it_cannot_start(client, signed_in, lesson_tree):
    programme, module, lessons = lesson_tree

    assert signed_in.post(f"/learn/modules/{lessons[0].pk}/start/").status_code == 404
    assert signed_in.post(f"/learn/modules/{programme.pk}/start/").status_code == 404
    assert signed_in.get(f"/learn/modules/{module.pk}/start/").status_code == 405
    assert nothing_written()


@pytest.mark.django_db
def test_completed_module_shows_its_date_and_new_lessons(signed_in, learner, lesson_tree):
    _programme, module, lessons = lesson_tree
    for lesson in lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=module)
    Enrolment.objects.update(completed_at=datetime.datetime(2027, 3, 3, 9, 0, tzinfo=datetime.UTC))

    assert "Completed on 3 March 2027" in signed_in.get(module.url).content.decode()

    publish(module, LessonPage(title="Lesson 4", slug="lesson-4", body=[], estimated_minutes=5))
    html = signed_in.get(module.url).content.decode()

    assert "Completed on 3 March 2027; 1 new lesson since" in html
    assert "3 of 4 lessons complete (75%)" in html


@pytest.mark.django_db
def test_resume_skips_a_last_lesson_that_was_unpublished(signed_in, learner, lesson_tree):
    _programme, module, (first, second, third) = lesson_tree
    services.lesson_complete(learner=learner, lesson=first, module=module)
    services.lesson_visit(learner=learner, lesson=third, module=module)
    LessonPage.objects.get(pk=third.pk).unpublish()

    html = signed_in.get(module.url).content.decode()

    assert f'href="{second.url}">Resume' in html
    assert "1 of 2 lessons complete (50%)" in html


@pytest.mark.django_db
def test_anonymous_visitors_see_no_progress(client, lesson_tree):
    programme, module, _lessons = lesson_tree

    html = client.get(module.url).content.decode()
    programme_html = client.get(programme.url).content.decode()

    assert "progressbar" not in html and "Start module" not in html
    assert "sign in</a> to open the lessons" in html
    assert "nhsuk-tag" not in programme_html


@pytest.mark.django_db
def test_another_learners_progress_never_shows(signed_in, other_learner, lesson_tree):
    programme, module, lessons = lesson_tree
    for lesson in lessons:
        services.lesson_complete(learner=other_learner, lesson=lesson, module=module)

    module_html = signed_in.get(module.url).content.decode()
    programme_html = signed_in.get(programme.url).content.decode()

    assert "0 of 3 lessons complete (0%)" in module_html
    assert ">Completed</strong>" not in module_html
    assert ">Completed</strong>" not in programme_html
    assert ">Not started</strong>" in programme_html


# Programme page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_programme_page_shows_progress_per_module(signed_in, learner, home_page):
    programme, done, done_lessons = build_module(home_page, lessons=2, slug="done")
    _p, started, started_lessons = build_module(home_page, lessons=4, slug="started")
    build_module(home_page, lessons=1, slug="untouched")
    for lesson in done_lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=done)
    services.lesson_complete(learner=learner, lesson=started_lessons[0], module=started)

    html = signed_in.get(programme.url).content.decode()

    assert ">Completed</strong>" in html and "2 of 2 lessons" in html
    assert ">In progress</strong>" in html and "1 of 4 lessons" in html
    assert ">Not started</strong>" in html


# Query counts --------------------------------------------------------------------------


def page_queries(client, url) -> int:
    client.get(url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_module_and_programme_pages_cost_the_same_with_1_and_20_enrolments(
    signed_in, learner, home_page
):
    """The N+1 this prevents: one enrolment or completion query per module or lesson."""
    modules = [build_module(home_page, lessons=2, slug=f"m{i}") for i in range(20)]
    programme, first_module, first_lessons = modules[0]
    services.lesson_complete(learner=learner, lesson=first_lessons[0], module=first_module)

    module_one = page_queries(signed_in, first_module.url)
    programme_one = page_queries(signed_in, programme.url)

    for _programme, module, lessons in modules:
        for lesson in lessons:
            services.lesson_complete(learner=learner, lesson=lesson, module=module)
    assert Enrolment.objects.filter(learner=learner).count() == 20

    assert page_queries(signed_in, first_module.url) == module_one
    assert page_queries(signed_in, programme.url) == programme_one
    # Session and user, site and routing, tags, prerequisites, lessons, site settings and
    # the menu; then the learner's enrolment and their completions for these lessons.
    assert module_one <= 19
    # The same routing and chrome, the modules, and one query for all their enrolments.
    assert programme_one <= 14


@pytest.mark.django_db
def test_lesson_page_costs_the_same_for_3_and_30_lessons(home_page, learner, client):
    client.force_login(learner)
    _p, small_module, small = build_module(home_page, lessons=3, slug="small")
    _p, large_module, large = build_module(home_page, lessons=30, slug="large")
    for lesson in small:
        services.lesson_complete(learner=learner, lesson=lesson, module=small_module)
    for lesson in large:
        services.lesson_complete(learner=learner, lesson=lesson, module=large_module)

    few = lesson_queries(client, small[1].url)
    many = lesson_queries(client, large[15].url)

    assert few == many
    assert many <= 28
