"""The lesson path (`modules/lessons.py`): one guard for every lesson endpoint, the visit
recorded on GET only, and the caches that must never show stale or unsaved content."""

import datetime
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from modules import lessons, services
from modules.models import Enrolment, JournalEntry, LessonCompletion, LessonPage, ModulePage
from tests.factories import UserFactory
from tests.modules.conftest import block_of, build_module, publish

# The guard -------------------------------------------------------------------------------


def answer_url(lesson) -> str:
    block = block_of(lesson, "reflection")
    return reverse("modules:lesson_answer", kwargs={"lesson_id": lesson.pk, "block_id": block.id})


def post_endpoints(lesson):
    """Every post about a lesson, with data that would be accepted from a learner."""
    block = block_of(lesson, "reflection")
    ids = {"lesson_id": lesson.pk}
    return {
        "answer": (answer_url(lesson), {f"{block.id}-text": "A thought."}),
        "complete": (reverse("modules:lesson_complete", kwargs=ids), {}),
        "uncomplete": (reverse("modules:lesson_uncomplete", kwargs=ids), {}),
        "time": (reverse("modules:lesson_time", kwargs=ids), {"seconds": "30"}),
    }


def statuses(client, lesson, module) -> dict[str, int]:
    got = {"page": client.get(lesson.url).status_code}
    for name, (url, data) in post_endpoints(lesson).items():
        got[name] = client.post(url, data).status_code
    start = reverse("modules:module_start", kwargs={"module_id": module.pk})
    got["module start"] = client.post(start).status_code
    return got


def nothing_written() -> bool:
    return not (
        Enrolment.objects.exists()
        or JournalEntry.objects.exists()
        or LessonCompletion.objects.exists()
    )


@pytest.fixture
def tree(home_page):
    _programme, module, pages = build_module(home_page, lessons=2)
    return module, pages[0]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_from_every_endpoint(client, tree):
    module, lesson = tree
    login = f"/accounts/login/?next={lesson.url}"

    for name, (url, data) in post_endpoints(lesson).items():
        response = client.post(url, data)
        if name == "time":
            assert response.status_code == 403  # a beacon: nothing to redirect
        else:
            assert response.status_code == 302, name
            assert response["Location"] == login, name
    page = client.get(lesson.url)
    assert page.status_code == 302
    assert page["Location"] == login
    start = client.post(reverse("modules:module_start", kwargs={"module_id": module.pk}))
    assert start.status_code == 302
    assert start["Location"] == f"/accounts/login/?next={module.url}"
    assert nothing_written()


@pytest.mark.django_db
def test_learners_without_a_confirmed_email_are_asked_to_confirm_it_everywhere(client, tree):
    module, lesson = tree
    client.force_login(UserFactory(verified=False))

    got = statuses(client, lesson, module)

    assert got == {
        "page": 302,
        "answer": 302,
        "complete": 302,
        "uncomplete": 302,
        "time": 403,
        "module start": 302,
    }
    assert client.get(lesson.url)["Location"] == "/accounts/email/"
    assert client.post(*post_endpoints(lesson)["complete"])["Location"] == "/accounts/email/"
    assert nothing_written()


@pytest.mark.django_db
def test_a_lesson_that_is_not_live_is_not_found_at_any_endpoint(signed_in, tree):
    module, lesson = tree
    LessonPage.objects.get(pk=lesson.pk).unpublish()

    got = statuses(signed_in, lesson, module)

    assert got == {
        "page": 404,
        "answer": 404,
        "complete": 404,
        "uncomplete": 404,
        "time": 404,
        "module start": 302,  # the module is still live: it opens its first live lesson
    }
    Enrolment.objects.all().delete()  # the module start's own enrolment
    assert nothing_written()


@pytest.mark.django_db
def test_a_live_lesson_in_a_module_that_is_not_live_is_not_found_anywhere(signed_in, tree):
    module, lesson = tree
    signed_in.get(lesson.url)  # the module's navigation is cached while it is live
    Enrolment.objects.all().delete()
    module.unpublish()

    got = statuses(signed_in, lesson, module)

    assert set(got.values()) == {404}, got
    assert nothing_written()


@pytest.mark.django_db
def test_a_private_lesson_is_refused_to_learners_outside_its_group(signed_in, tree):
    module, lesson = tree
    group = Group.objects.create(name="Riverside partnership")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)

    got = statuses(signed_in, lesson, module)

    # The page: Wagtail's own view-restriction check sends the visitor to sign in as
    # someone else; every post about the lesson: not found.
    assert got == {
        "page": 302,
        "answer": 404,
        "complete": 404,
        "uncomplete": 404,
        "time": 404,
        "module start": 302,  # the module is not restricted
    }


@pytest.mark.django_db
def test_a_private_lesson_is_open_to_learners_in_its_group(signed_in, learner, tree):
    """The page and the posts agree: a learner the restriction lets in can also answer."""
    _module, lesson = tree
    group = Group.objects.create(name="Riverside partnership")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    learner.groups.add(group)

    assert signed_in.get(lesson.url).status_code == 200
    url, data = post_endpoints(lesson)["answer"]
    assert signed_in.post(url, data).status_code == 302
    assert JournalEntry.objects.get(learner=learner).text == "A thought."


@pytest.mark.django_db
def test_a_private_module_cannot_be_started(signed_in, tree):
    module, _lesson = tree
    PageViewRestriction.objects.create(page=module, restriction_type=PageViewRestriction.PASSWORD)

    start = signed_in.post(reverse("modules:module_start", kwargs={"module_id": module.pk}))

    assert start.status_code == 404
    assert nothing_written()


@pytest.mark.django_db
def test_confirming_an_email_address_opens_lessons_at_once_and_removing_it_closes_them(
    client, tree
):
    _module, lesson = tree
    person = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False)
    client.force_login(person)
    assert client.get(lesson.url)["Location"] == "/accounts/email/"

    address.verified = True
    address.save()
    assert client.get(lesson.url).status_code == 200

    address.delete()
    assert client.get(lesson.url)["Location"] == "/accounts/email/"


# Recording the visit ---------------------------------------------------------------------


@pytest.mark.django_db
def test_opening_a_lesson_records_the_visit_at_most_once_a_minute(
    signed_in, learner, tree, monkeypatch
):
    module, lesson = tree
    signed_in.get(lesson.url)
    first = Enrolment.objects.get(learner=learner, module=module)
    assert first.last_lesson_id == lesson.pk

    signed_in.get(lesson.url)
    assert Enrolment.objects.get(pk=first.pk).last_visited_at == first.last_visited_at

    later = timezone.now() + datetime.timedelta(seconds=lessons.VISIT_THROTTLE_SECONDS + 1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    signed_in.get(lesson.url)
    assert Enrolment.objects.get(pk=first.pk).last_visited_at == later


@pytest.mark.django_db
def test_opening_another_lesson_and_back_records_each_change(signed_in, learner, home_page):
    _programme, module, (first, second, _third) = build_module(home_page)

    signed_in.get(first.url)
    signed_in.get(second.url)
    assert Enrolment.objects.get(learner=learner, module=module).last_lesson_id == second.pk
    signed_in.get(first.url)  # within the minute, but a different lesson from the last

    assert Enrolment.objects.get(learner=learner, module=module).last_lesson_id == first.pk


@pytest.mark.django_db
def test_a_refused_answer_shown_again_records_no_visit(signed_in, learner, tree):
    _module, lesson = tree
    block = block_of(lesson, "reflection")

    response = signed_in.post(answer_url(lesson), {f"{block.id}-text": ""})

    assert response.status_code == 200
    assert "Write your reflection before you save it." in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.django_db
def test_rendering_the_lesson_context_writes_nothing(rf, learner, tree):
    _module, lesson = tree
    request = rf.get(lesson.url)
    request.user = learner
    request.is_preview = False

    with CaptureQueriesContext(connection) as captured:
        lesson.get_context(request)

    written = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert written == []
    assert not Enrolment.objects.exists()


# Caches ----------------------------------------------------------------------------------


def republish(lesson, text: str):
    page = LessonPage.objects.get(pk=lesson.pk)
    body = list(page.body.raw_data)
    body[0] = {**body[0], "value": f"<p>{text}</p>"}
    page.body = body
    page.save_revision().publish()
    return page


@pytest.mark.django_db
def test_a_published_edit_shows_at_once(signed_in, tree):
    _module, lesson = tree
    assert "Relationships come before structures." in signed_in.get(lesson.url).content.decode()

    republish(lesson, "Structures follow relationships.")
    html = signed_in.get(lesson.url).content.decode()

    assert "Structures follow relationships." in html
    assert "Relationships come before structures." not in html


@pytest.mark.django_db
def test_a_saved_draft_does_not_show_to_learners(signed_in, tree):
    _module, lesson = tree
    signed_in.get(lesson.url)
    page = LessonPage.objects.get(pk=lesson.pk)
    page.body = [("rich_text", "<p>Not ready yet.</p>")]
    page.save_revision()

    html = signed_in.get(lesson.url).content.decode()

    assert "Relationships come before structures." in html
    assert "Not ready yet." not in html


class CacheSpy:
    """The real cache, noting every key asked for or written."""

    def __init__(self, real):
        self.real = real
        self.keys: list[str] = []

    def get(self, key, *args, **kwargs):
        self.keys.append(key)
        return self.real.get(key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        self.keys.append(key)
        return self.real.set(key, *args, **kwargs)

    def add(self, key, *args, **kwargs):
        self.keys.append(key)
        return self.real.add(key, *args, **kwargs)


@pytest.mark.django_db
def test_preview_renders_unsaved_content_and_never_touches_the_body_cache(
    client, tree, monkeypatch
):
    _module, lesson = tree
    editor = UserFactory(email="editor.person@example.org")
    editor.groups.add(Group.objects.get(name="Course editor"))
    client.force_login(editor)
    assert client.get(lesson.url).status_code == 200  # the live body is now cached
    Enrolment.objects.all().delete()
    spy = CacheSpy(cache)
    monkeypatch.setattr(lessons, "cache", spy)
    preview_url = f"/admin/pages/{lesson.pk}/edit/preview/"
    form = nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "estimated_minutes": 10,
            "body": streamfield([("rich_text", rich_text("<p>An unsaved thought.</p>"))]),
        }
    )
    assert client.post(preview_url, form).json()["is_valid"] is True
    html = client.get(preview_url).content.decode()

    assert "An unsaved thought." in html
    assert "Relationships come before structures." not in html
    assert spy.keys == []
    assert not Enrolment.objects.exists()  # a preview records no visit
    monkeypatch.undo()
    assert "Relationships come before structures." in client.get(lesson.url).content.decode()


@pytest.mark.django_db
def test_publishing_or_moving_a_lesson_shows_in_the_navigation_at_once(signed_in, home_page):
    _programme, module, (first, second, _third) = build_module(home_page)
    _programme, other, _others = build_module(home_page, slug="another-module", lessons=1)
    assert "Lesson 1 of 3" in signed_in.get(first.url).content.decode()

    publish(module, LessonPage(title="Lesson 4", slug="lesson-4", body=[]))
    assert "Lesson 1 of 4" in signed_in.get(first.url).content.decode()

    Page.objects.get(pk=second.pk).move(other, pos="last-child")
    html = signed_in.get(first.url).content.decode()
    assert "Lesson 1 of 3" in html
    assert f'href="{second.url}"' not in html

    page = ModulePage.objects.get(pk=module.pk)
    page.title = "Seeing the whole system"
    page.save_revision().publish()
    html = signed_in.get(first.url).content.decode()
    assert '<span class="nhsuk-caption-l">Seeing the whole system</span>' in html


@pytest.mark.django_db
def test_deleting_a_lesson_takes_it_out_of_the_navigation_at_once(signed_in, home_page):
    _programme, _module, (first, _second, third) = build_module(home_page)
    assert "Lesson 1 of 3" in signed_in.get(first.url).content.decode()

    Page.objects.get(pk=third.pk).delete()

    assert "Lesson 1 of 2" in signed_in.get(first.url).content.decode()


@pytest.mark.django_db
def test_breadcrumbs_are_the_same_as_the_sites_own(signed_in, tree):
    module, lesson = tree

    html = signed_in.get(lesson.url).content.decode()

    programme = module.get_parent()
    assert (
        '<a class="nhsuk-breadcrumb__link" href="/">Lead and learn together</a>' in html
        and f'<a class="nhsuk-breadcrumb__link" href="{programme.url}">{programme.title}</a>'
        in html
        and f'<a class="nhsuk-breadcrumb__link" href="{module.url}">{module.title}</a>' in html
    )
    assert f'<a class="nhsuk-back-link" href="{module.url}">' in html


# Queries ---------------------------------------------------------------------------------

# Wagtail: the site, the home page, the programme (page and specific), the module and the
# lesson (one query each, see `ModulePage.route`), the ancestors and their view
# restrictions; Django: session and user; ours: one, the learner's answers in the lesson
# and its completion (`lesson_answers`). The site layout asks nothing: the site settings
# and whether the learner may use the admin come from the cache
# (`SiteSettings.for_request`, `core.admin_access`).
LESSON_PAGE_QUERIES = 11


def lesson_queries(client, url) -> list[str]:
    assert client.get(url).status_code == 200  # fills the caches, records the visit
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def answer_everything(learner, lesson, module, *, attempts: int) -> None:
    for kind in ("reflection", "action_commitment", "learning_cycle"):
        block = block_of(lesson, kind)
        services.journal_entry_save(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=block.id,
            kind=kind,
            prompt="Prompt",
            text="Something I noticed.",
            due_on=datetime.date(2027, 3, 27),
        )
    checklist = block_of(lesson, "checklist")
    items = [item.id for item in checklist.value["items"].bound_blocks]
    services.checklist_save(
        learner=learner,
        lesson=lesson,
        module=module,
        block_id=checklist.id,
        item_ids=items,
        ticked=items[:1],
    )
    check = block_of(lesson, "knowledge_check")
    options = [option.id for option in check.value["options"].bound_blocks]
    for number in range(attempts):
        services.knowledge_check_answer(
            learner=learner,
            lesson=lesson,
            module=module,
            block_id=check.id,
            correct_ids=options[1:2],
            option_ids=options,
            selected=[options[number % 2]],
            attempt_key=uuid.uuid4(),
        )
    services.lesson_complete(learner=learner, lesson=lesson, module=module)


@pytest.mark.django_db
def test_lesson_page_queries_are_fixed_however_many_lessons(home_page, learner, client):
    client.force_login(learner)
    _p, _m, small = build_module(home_page, lessons=2, slug="small")
    _p, _m, large = build_module(home_page, lessons=25, slug="large")

    few = lesson_queries(client, small[1].url)
    many = lesson_queries(client, large[12].url)

    assert len(few) == len(many) == LESSON_PAGE_QUERIES, "\n".join(many)


@pytest.mark.django_db
def test_lesson_page_queries_are_fixed_however_many_answers_and_learners(
    home_page, learner, client
):
    _p, module, (lesson, other_lesson) = build_module(home_page, lessons=2)
    client.force_login(learner)
    answer_everything(learner, other_lesson, module, attempts=1)
    few = lesson_queries(client, other_lesson.url)

    answer_everything(learner, lesson, module, attempts=12)
    for number in range(15):
        answer_everything(
            UserFactory(email=f"learner{number}@example.org"), lesson, module, attempts=2
        )
    many = lesson_queries(client, lesson.url)

    assert len(few) == len(many) == LESSON_PAGE_QUERIES, "\n".join(many)
    assert not any(sql.startswith(("INSERT", "UPDATE", "DELETE")) for sql in many)


@pytest.mark.django_db
def test_a_lesson_of_text_alone_reads_no_answers(home_page, learner, client):
    _p, module, _lessons = build_module(home_page, lessons=1)
    reading = publish(
        module,
        LessonPage(title="Reading", slug="reading", body=[("rich_text", "<p>Read on.</p>")]),
    )
    client.force_login(learner)

    queries = lesson_queries(client, reading.url)

    # Still one query of ours, for the lesson's completion alone.
    assert len(queries) == LESSON_PAGE_QUERIES, "\n".join(queries)
    assert not any("modules_journalentry" in sql for sql in queries)
    assert not any("modules_checklistprogress" in sql for sql in queries)
    assert any("modules_lessoncompletion" in sql for sql in queries)


@pytest.mark.django_db
def test_a_replaced_document_shows_its_new_link_at_once(signed_in, home_page):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Stakeholder map", file=ContentFile(b"first", name="stakeholder-map.pdf")
    )
    _p, module, _lessons = build_module(home_page, lessons=1)
    lesson = publish(
        module,
        LessonPage(
            title="Mapping",
            slug="mapping",
            body=[("resource", {"document": document, "description": ""})],
        ),
    )
    assert "stakeholder-map" in signed_in.get(lesson.url).content.decode()

    document.file = ContentFile(b"second", name="system-map.pdf")
    document.save()

    html = signed_in.get(lesson.url).content.decode()
    assert "system-map" in html
    assert "stakeholder-map" not in html
