"""My learning: the learner's dashboard, and the time-on-page reports that feed it."""

import datetime
import re
import threading
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from modules import services
from modules.dashboard import duration_text
from modules.models import Enrolment, LessonPage, ModulePage, ProgrammePage
from tests.factories import UserFactory
from tests.modules.conftest import build_module, publish

URL = "/learn/"
UTC = datetime.UTC


def at(*args):
    """Patch the clock the services read, so each write gets a known time."""
    return mock.patch(
        "django.utils.timezone.now", return_value=datetime.datetime(*args, tzinfo=UTC)
    )


def page_text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def section(html: str, heading: str) -> str:
    """The markup of one dashboard section, from its heading to the next section."""
    start = html.index(f">{heading}</h2>")
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


@pytest.fixture
def modules(home_page):
    """Three modules of two lessons each in one programme (tree order: a, b, c)."""
    return [build_module(home_page, lessons=2, slug=slug)[1:] for slug in ("a", "b", "c")]


def retitle(module, title):
    module.title = title
    module.save_revision().publish()
    module.refresh_from_db()
    return module


# The page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, home_page):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/learn/"


@pytest.mark.django_db
def test_signing_in_lands_on_my_learning(client, home_page, learner, password):
    response = client.post("/accounts/login/", {"login": learner.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == URL
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_new_learner_is_pointed_to_the_programmes(signed_in, home_page):
    response = signed_in.get(URL)

    html = page_text(response)
    assert response.status_code == 200
    assert "You have not started any modules yet." in html
    assert 'href="/">Browse the programmes</a>' in html
    assert "In progress</h2>" not in html


@pytest.mark.django_db
def test_the_header_links_to_my_learning_for_signed_in_learners(client, signed_in, home_page):
    html = signed_in.get("/").content.decode()

    assert html.index('href="/learn/">My learning</a>') < html.index("Your journal</a>")


@pytest.mark.django_db
def test_in_progress_modules_show_progress_most_recently_visited_first(signed_in, learner, modules):
    (a, a_lessons), (b, b_lessons), (c, _c_lessons) = modules
    retitle(a, "Alpha module")
    retitle(b, "Beta module")
    with at(2027, 3, 1, 9, 0):
        services.lesson_visit(learner=learner, lesson=a_lessons[1], module=a)
        services.lesson_complete(learner=learner, lesson=a_lessons[0], module=a)
    with at(2027, 3, 2, 9, 0):
        services.lesson_visit(learner=learner, lesson=b_lessons[0], module=b)

    html = page_text(signed_in.get(URL))
    in_progress = section(html, "In progress")

    assert in_progress.index("Beta module") < in_progress.index("Alpha module")
    assert "1 of 2 lessons complete" in in_progress
    assert "0 of 2 lessons complete" in in_progress
    assert 'role="progressbar"' in in_progress and 'aria-valuenow="1"' in in_progress
    # Resume opens the last lesson visited in each module.
    resume_links = re.findall(r'<a class="nhsuk-button[^"]*"[^>]*href="([^"]+)">Resume', html)
    assert resume_links == [b_lessons[0].url, a_lessons[1].url]


@pytest.mark.django_db
def test_resume_falls_back_to_the_module_when_the_last_lesson_is_gone(signed_in, learner, modules):
    (a, a_lessons), _b, _c = modules
    services.lesson_visit(learner=learner, lesson=a_lessons[1], module=a)
    a_lessons[1].unpublish()
    services.enrolment_start(learner=learner, module=modules[1][0])  # no lesson visited yet

    html = page_text(signed_in.get(URL))

    resume_links = re.findall(r'<a class="nhsuk-button[^"]*"[^>]*href="([^"]+)">Resume', html)
    assert sorted(resume_links) == sorted([a.url, modules[1][0].url])
    assert a_lessons[1].url not in resume_links


@pytest.mark.django_db
def test_completed_modules_show_their_date_in_london_time(signed_in, learner, modules):
    (a, a_lessons), (b, b_lessons), _c = modules
    retitle(a, "Alpha module")
    retitle(b, "Beta module")
    with at(2027, 6, 30, 23, 30):  # 00:30 on 1 July in London (BST)
        for lesson in a_lessons:
            services.lesson_complete(learner=learner, lesson=lesson, module=a)
    with at(2027, 1, 15, 12, 0):
        for lesson in b_lessons:
            services.lesson_complete(learner=learner, lesson=lesson, module=b)

    html = page_text(signed_in.get(URL))
    completed = section(html, "Completed")

    assert "Completed on <time" in completed
    assert ">1 July 2027</time>" in completed
    assert ">15 January 2027</time>" in completed
    assert completed.index("Alpha module") < completed.index("Beta module")  # newest first
    assert f'href="{a.url}"' in completed and f'href="{b.url}"' in completed
    assert "You have no modules in progress." in section(html, "In progress")


@pytest.mark.django_db
def test_a_completed_module_stays_completed_when_a_lesson_is_added(signed_in, learner, modules):
    (a, a_lessons), _b, _c = modules
    with at(2027, 3, 3, 10, 0):
        for lesson in a_lessons:
            services.lesson_complete(learner=learner, lesson=lesson, module=a)
    publish(a, LessonPage(title="Lesson 3", slug="lesson-3", body=[("rich_text", "<p>New.</p>")]))
    services.module_progress_refresh(module=a)

    completed = section(page_text(signed_in.get(URL)), "Completed")

    assert ">3 March 2027</time>; 1 new lesson since" in completed


@pytest.mark.django_db
def test_suggestions_are_unstarted_live_modules_of_the_same_programmes(
    signed_in, learner, home_page, modules
):
    (a, a_lessons), (b, _b), (c, _c) = modules
    retitle(b, "Beta module")
    retitle(c, "Gamma module")
    draft = ModulePage(
        title="Draft module",
        slug="draft",
        summary="Not yet.",
        learning_outcomes=[("outcome", "Wait")],
        live=False,
    )
    programme = a.get_parent()
    programme.add_child(instance=draft)
    extra = [build_module(home_page, lessons=1, slug=f"extra-{n}")[1] for n in range(2)]
    for n, module in enumerate(extra):
        retitle(module, f"Extra module {n}")
    services.lesson_visit(learner=learner, lesson=a_lessons[0], module=a)

    html = page_text(signed_in.get(URL))
    suggested = section(html, "Suggested next")

    titles = re.findall(r'class="nhsuk-card__link" href="[^"]+">([^<]+)</a>', suggested)
    assert titles == ["Beta module", "Gamma module", "Extra module 0"]  # tree order, three
    assert "Draft module" not in html


@pytest.mark.django_db
def test_suggestions_leave_out_modules_started_finished_or_in_other_programmes(
    signed_in, learner, home_page, modules
):
    (a, a_lessons), (b, b_lessons), (c, _c) = modules
    retitle(c, "Gamma module")
    elsewhere = publish(
        home_page,
        ProgrammePage(title="Compassionate cultures", slug="cultures", summary="Elsewhere."),
    )
    publish(
        elsewhere,
        ModulePage(
            title="Elsewhere module",
            slug="elsewhere",
            summary="In another programme.",
            learning_outcomes=[("outcome", "Listen")],
        ),
    )
    services.lesson_visit(learner=learner, lesson=a_lessons[0], module=a)
    for lesson in b_lessons:
        services.lesson_complete(learner=learner, lesson=lesson, module=b)

    suggested = section(page_text(signed_in.get(URL)), "Suggested next")

    assert re.findall(r'class="nhsuk-card__link" href="([^"]+)"', suggested) == [c.url]


@pytest.mark.django_db
def test_learning_time_adds_completed_lessons_estimates_and_measured_time(
    signed_in, learner, modules
):
    (a, a_lessons), (b, b_lessons), _c = modules
    LessonPage.objects.filter(pk=a_lessons[0].pk).update(estimated_minutes=45)
    a_lessons[0].refresh_from_db()
    for lesson in a_lessons:  # 45 + 10 minutes
        services.lesson_complete(learner=learner, lesson=lesson, module=a)
    services.lesson_complete(learner=learner, lesson=b_lessons[0], module=b)  # 10 minutes
    services.lesson_time_record(learner=learner, lesson=a_lessons[0], module=a, seconds=1500)
    services.lesson_time_record(learner=learner, lesson=b_lessons[1], module=b, seconds=930)

    learning_time = section(page_text(signed_in.get(URL)), "Learning time")

    assert "1 hour 5 minutes" in learning_time  # 65 minutes of completed lessons
    assert "40 minutes" in learning_time  # 2,430 seconds measured
    assert "<strong>1 hour 45 minutes</strong>" in learning_time


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (0, "0 minutes"),
        (1, "1 minute"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (135, "2 hours 15 minutes"),
    ],
)
def test_duration_text(minutes, text):
    assert duration_text(minutes) == text


@pytest.mark.django_db
def test_another_learners_progress_never_appears(signed_in, learner, other_learner, modules):
    (a, a_lessons), (b, b_lessons), _c = modules
    retitle(a, "Alpha module")
    retitle(b, "Beta module")
    services.lesson_visit(learner=learner, lesson=a_lessons[0], module=a)
    for lesson in b_lessons:
        services.lesson_complete(learner=other_learner, lesson=lesson, module=b)
    services.lesson_time_record(learner=other_learner, lesson=b_lessons[0], module=b, seconds=600)

    html = page_text(signed_in.get(URL))

    assert "Beta module" not in section(html, "In progress")
    assert "Beta module" not in section(html, "Completed")
    assert "You have not completed a module yet." in html
    assert "<strong>0 minutes</strong>" in section(html, "Learning time")


# Query counts ---------------------------------------------------------------------------


def dashboard_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_my_learning_costs_the_same_queries_for_1_or_20_enrolments(home_page):
    """No query per enrolment (module, last lesson, resume link or suggestion): session,
    user, enrolments, suggestions (with the view-restriction check of `.public()`), the
    learning-time aggregate, the site, its settings, the header's two permission checks, the
    pending invitations, whether the learner is in a set, and the "Coming up" panel's
    commitments, meetings and teams waiting (notifications.coming_up).
    """
    runs = []
    for size in (1, 20):
        learner = UserFactory()
        for number in range(size):
            _programme, module, lessons = build_module(
                home_page, lessons=2, slug=f"q{size}-{number}"
            )
            services.lesson_visit(learner=learner, lesson=lessons[1], module=module)
            services.lesson_complete(learner=learner, lesson=lessons[0], module=module)
            if number % 2:
                services.lesson_complete(learner=learner, lesson=lessons[1], module=module)
            services.lesson_time_record(
                learner=learner, lesson=lessons[0], module=module, seconds=90
            )
        client = Client()
        client.force_login(learner)
        dashboard_queries(client)  # warm the site root paths cache, as a running site has
        runs.append(dashboard_queries(client))

    few, many = runs
    # 11: one more than before, for the pending cohort invitations shown on the page; 12:
    # one more again, for whether to link to the learner's action learning sets; 15: three
    # more for the "Coming up" panel.
    assert len(few) == len(many) <= 15, "\n".join(many)


# Time on page ---------------------------------------------------------------------------


def time_url(lesson) -> str:
    return f"/learn/lessons/{lesson.pk}/time/"


@pytest.fixture
def module_and_lessons(home_page):
    _programme, module, lessons = build_module(home_page, lessons=2)
    return module, lessons


@pytest.mark.django_db
def test_time_on_a_lesson_is_added_to_the_enrolment(signed_in, learner, module_and_lessons):
    module, (first, second) = module_and_lessons

    assert signed_in.post(time_url(first), {"seconds": "95"}).status_code == 204
    assert signed_in.post(time_url(second), {"seconds": "40"}).status_code == 204

    enrolment = Enrolment.objects.get(learner=learner, module=module)
    assert enrolment.seconds_on_page == 135
    assert enrolment.module_title == module.title


@pytest.mark.django_db
def test_one_visit_counts_for_at_most_half_an_hour(signed_in, learner, module_and_lessons):
    module, (first, _second) = module_and_lessons
    services.lesson_visit(learner=learner, lesson=first, module=module)

    assert signed_in.post(time_url(first), {"seconds": "7200"}).status_code == 204
    assert signed_in.post(time_url(first), {"seconds": "1800"}).status_code == 204

    enrolment = Enrolment.objects.get(learner=learner, module=module)
    assert enrolment.seconds_on_page == 3600
    assert enrolment.last_lesson_id == first.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"seconds": "0"},
        {"seconds": "-5"},
        {"seconds": "abc"},
        {},
        {"seconds": "99999999999999999999"},
        {"seconds": "86401"},
        {"seconds": "1.5"},
        {"seconds": ""},
    ],
)
def test_bad_time_reports_are_refused_and_write_nothing(signed_in, module_and_lessons, data):
    _module, (first, _second) = module_and_lessons

    response = signed_in.post(time_url(first), data)

    assert response.status_code == 400
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_time_on_a_draft_or_missing_lesson_is_not_found(signed_in, module_and_lessons):
    module, (first, _second) = module_and_lessons
    draft = publish(
        module, LessonPage(title="Draft", slug="draft", body=[("rich_text", "<p>Soon.</p>")])
    )
    draft.unpublish()

    assert signed_in.post(time_url(draft), {"seconds": "30"}).status_code == 404
    assert signed_in.post("/learn/lessons/999999/time/", {"seconds": "30"}).status_code == 404
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_time_reports_need_a_signed_in_verified_learner(client, module_and_lessons):
    _module, (first, _second) = module_and_lessons

    assert client.post(time_url(first), {"seconds": "30"}).status_code == 403
    unverified = UserFactory(verified=False)
    client.force_login(unverified)
    assert client.post(time_url(first), {"seconds": "30"}).status_code == 403
    assert client.get(time_url(first)).status_code == 405
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_time_reports_need_the_csrf_token(learner, module_and_lessons):
    _module, (first, _second) = module_and_lessons
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    assert client.post(time_url(first), {"seconds": "30"}).status_code == 403
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_the_time_service_refuses_what_is_not_a_positive_whole_number(learner, module_and_lessons):
    module, (first, _second) = module_and_lessons

    for seconds in (0, -1, True, 2.5):
        with pytest.raises(ValueError):
            services.lesson_time_record(
                learner=learner, lesson=first, module=module, seconds=seconds
            )
    assert not Enrolment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_tabs_reporting_time_at_once_both_count(site_home, learner):
    """The first report also enrols the learner: both threads race to create the
    enrolment, and the database adds each report (F expression), so none is lost."""
    _programme, module, (first, second) = build_module(site_home, lessons=2)
    barrier = threading.Barrier(2)
    errors = []

    def report(lesson, seconds):
        try:
            barrier.wait(timeout=5)
            services.lesson_time_record(
                learner=learner, lesson=lesson, module=module, seconds=seconds
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=args) for args in ((first, 100), (second, 250))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    assert Enrolment.objects.get(learner=learner, module=module).seconds_on_page == 350


def test_the_script_reads_its_settings_from_the_page_and_uses_send_beacon():
    from django.contrib.staticfiles import finders

    script = open(finders.find("lms/js/time-on-page.js"), encoding="utf-8").read()

    for needle in (
        'getElementById("lms-time-on-page")',
        "sendBeacon",
        "csrfmiddlewaretoken",
        "visibilityState",
        "pagehide",
    ):
        assert needle in script


@pytest.mark.django_db(transaction=True)
def test_completed_modules_link_to_their_certificate(client, site_home, learner):
    from modules.models import Certificate

    _programme, module, lessons = build_module(site_home, lessons=1, slug="short")
    services.lesson_complete(learner=learner, lesson=lessons[0], module=module)
    code = Certificate.objects.get(learner=learner).code
    client.force_login(learner)

    html = client.get("/learn/").content.decode()

    assert f"/learn/certificates/{code}.pdf" in html
    assert f"/learn/certificates/verify/{code}/" in html
