"""Page-tree rules, editing in the admin, moderation, and what visitors see."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Workflow
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage, PrivacyNoticePage
from home.services import site_ensure_home
from learning_sets.guides import FacilitatorGuideIndexPage
from modules.models import LessonPage, ModulePage, ProgrammePage
from tests.factories import UserFactory
from tests.modules.conftest import build_module


class PageTreeRulesTests(WagtailPageTestCase):
    def test_programmes_live_under_the_home_page_only(self):
        self.assertAllowedParentPageTypes(ProgrammePage, {HomePage})
        self.assertAllowedSubpageTypes(
            HomePage, {ProgrammePage, PrivacyNoticePage, FacilitatorGuideIndexPage}
        )

    def test_modules_live_under_programmes_and_hold_lessons(self):
        self.assertAllowedParentPageTypes(ModulePage, {ProgrammePage})
        self.assertAllowedSubpageTypes(ProgrammePage, {ModulePage})
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})

    def test_lessons_live_under_modules_and_have_no_children(self):
        self.assertAllowedParentPageTypes(LessonPage, {ModulePage})
        self.assertAllowedSubpageTypes(LessonPage, set())


class EditorCreatesLessonTests(WagtailPageTestCase):
    def setUp(self):
        self.home = site_ensure_home(title="Lead and learn together")
        _programme, self.module, _lessons = build_module(self.home, lessons=1)
        self.editor = UserFactory(email="editor.person@example.org")
        self.editor.groups.add(Group.objects.get(name="Course editor"))
        self.approver = UserFactory(email="approver.person@example.org")
        self.approver.groups.add(Group.objects.get(name="Content approver"))

    def lesson_form_data(self, title):
        return nested_form_data(
            {
                "title": title,
                "slug": "a-new-lesson",
                "estimated_minutes": 12,
                "body": streamfield(
                    [
                        ("rich_text", rich_text("<p>Start with the people.</p>")),
                        ("reflection", {"prompt": "Who is missing?", "hint": ""}),
                    ]
                ),
            }
        )

    def test_editor_creates_a_lesson_and_submits_it_for_moderation(self):
        self.client.force_login(self.editor)
        self.assertCanCreate(
            self.module, LessonPage, self.lesson_form_data("A new lesson"), publish=False
        )
        lesson = LessonPage.objects.get(slug="a-new-lesson")
        self.assertFalse(lesson.live)

        response = self.client.post(
            f"/admin/pages/{lesson.pk}/edit/",
            {**self.lesson_form_data("A new lesson"), "action-submit": "Submit"},
        )
        self.assertEqual(response.status_code, 302)
        lesson.refresh_from_db()
        self.assertEqual(lesson.current_workflow_state.status, "in_progress")
        self.assertEqual(lesson.get_workflow().name, "Course moderation")
        self.assertFalse(lesson.live)

    def test_editor_cannot_publish_but_approver_can(self):
        self.client.force_login(self.editor)
        self.assertCanCreate(
            self.module, LessonPage, self.lesson_form_data("A new lesson"), publish=False
        )
        lesson = LessonPage.objects.get(slug="a-new-lesson")
        perms = lesson.permissions_for_user(self.editor)
        self.assertFalse(perms.can_publish())
        self.assertTrue(lesson.permissions_for_user(self.approver).can_publish())

        lesson.get_workflow().start(lesson, self.editor)
        task_state = lesson.current_workflow_task_state
        self.assertIn(self.approver, task_state.task.specific.groups.get().user_set.all())
        task_state.task.specific.on_action(task_state, self.approver, "approve")
        lesson.refresh_from_db()
        self.assertTrue(lesson.live)

    def test_preview_shows_the_lesson_as_a_learner_sees_it(self):
        self.client.force_login(self.editor)
        lesson = LessonPage.objects.child_of(self.module).first()
        preview_url = f"/admin/pages/{lesson.pk}/edit/preview/"

        posted = self.client.post(preview_url, self.lesson_form_data("Previewed lesson"))
        self.assertEqual(posted.json()["is_valid"], True)
        response = self.client.get(preview_url)

        self.assertContains(response, "Previewed lesson")
        self.assertContains(response, "This is a preview. Answers cannot be saved here.")
        self.assertContains(response, "Who is missing?")
        self.assertNotContains(response, "/learn/lessons/")  # no form posts from a preview


@pytest.mark.django_db
def test_wagtails_default_workflow_is_replaced_by_course_moderation():
    assert Page.get_first_root_node().get_workflow().name == "Course moderation"
    assert not Workflow.objects.get(name="Moderators approval").active


@pytest.mark.django_db
def test_anyone_can_browse_programmes_and_modules(client, lesson_tree):
    programme, module, lessons = lesson_tree

    programme_html = client.get(programme.url).content.decode()
    module_html = client.get(module.url).content.decode()

    assert module.title in programme_html and module.summary in programme_html
    assert "Draw a stakeholder map" in module_html
    assert all(lesson.title in module_html for lesson in lessons)
    assert "sign in</a> to open the lessons" in module_html


@pytest.mark.django_db
def test_lesson_login_round_trip(client, lesson, learner, password):
    response = client.get(lesson.url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"

    signed_in = client.post(response["Location"], {"login": learner.email, "password": password})

    assert signed_in["Location"] == lesson.url
    assert client.get(lesson.url).status_code == 200


@pytest.mark.django_db
def test_unverified_learner_is_asked_to_confirm_their_email(client, lesson):
    unverified = UserFactory(verified=False)
    client.force_login(unverified)

    response = client.get(lesson.url)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/email/"


@pytest.mark.django_db
def test_lesson_shows_position_contents_and_previous_next(signed_in, lesson_tree):
    _programme, _module, (first, second, third) = lesson_tree

    html = signed_in.get(second.url).content.decode()

    assert "Lesson 2 of 3" in html
    assert '<span class="nhsuk-contents-list__current">Lesson 2</span>' in html
    assert f'href="{first.url}"' in html and f'href="{third.url}"' in html
    assert 'aria-label="Breadcrumb"' in html


@pytest.mark.django_db
def test_draft_lessons_are_not_listed_or_served(client, signed_in, lesson_tree):
    _programme, module, (first, second, _third) = lesson_tree
    LessonPage.objects.get(pk=second.pk).unpublish()

    assert "Lesson 2" not in client.get(module.url).content.decode()
    assert signed_in.get(second.url).status_code == 404
    assert "Lesson 1 of 2" in signed_in.get(first.url).content.decode()


def lesson_queries(client, url) -> int:
    client.get(url)  # warm the site-root cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_lesson_page_queries_do_not_grow_with_the_module(home_page, learner, client):
    client.force_login(learner)
    _p, _m, small = build_module(home_page, lessons=3, slug="small")
    _p, _m, large = build_module(home_page, lessons=30, slug="large")

    few = lesson_queries(client, small[1].url)
    many = lesson_queries(client, large[15].url)

    assert few == many
    # See tests/modules/test_lessons.py for what the 17 are; the visit is recorded by the
    # first request of each lesson only, so the second one, counted here, writes nothing.
    assert many <= 17


@pytest.mark.django_db
def test_module_and_programme_pages_queries_do_not_grow(home_page, client):
    programme, small, _ = build_module(home_page, lessons=3, slug="small")
    _p, large, _ = build_module(home_page, lessons=30, slug="large")

    assert lesson_queries(client, small.url) == lesson_queries(client, large.url)
    with CaptureQueriesContext(connection) as captured:
        client.get(programme.url)
    assert len(captured.captured_queries) <= 11
