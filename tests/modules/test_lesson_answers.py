"""Interactive blocks: save, change, errors that lose nothing, and privacy."""

import copy
import uuid

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from modules.models import ChecklistProgress, JournalEntry, KnowledgeCheckAttempt, LessonPage
from tests.factories import UserFactory, home_page_ensure
from tests.modules.conftest import block_of, build_module
from tests.worlds import module_world


def build_tree():
    return build_module(home_page_ensure())


# Every test here answers blocks of one small module: built once for the file
# (tests/worlds.py) rather than for each test.
shared_tree = module_world(build_tree)


@pytest.fixture
def lesson_tree(db, shared_tree):
    """The programme, module and lessons; each test gets its own copies of the pages, so
    that a change to one cannot reach the next test."""
    return copy.deepcopy(shared_tree)


def answer_url(lesson, block):
    return f"/learn/lessons/{lesson.pk}/answer/{block.id}/"


def post_answer(client, lesson, block, **fields):
    data = {f"{block.id}-{name}": value for name, value in fields.items()}
    return client.post(answer_url(lesson, block), data)


@pytest.mark.django_db
def test_reflection_saves_shows_again_and_changes(signed_in, lesson, learner):
    block = block_of(lesson, "reflection")

    response = post_answer(signed_in, lesson, block, text="My manager listened.")
    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#block-{block.id}"
    post_answer(signed_in, lesson, block, text="  Actually, the housing officer did.  ")

    entry = JournalEntry.objects.get(learner=learner)
    assert entry.text == "Actually, the housing officer did."
    assert (entry.kind, entry.prompt) == ("reflection", "When did a partner surprise you?")
    assert (entry.lesson_title, entry.module_title) == ("Lesson 1", "Seeing the system")
    html = signed_in.get(lesson.url).content.decode()
    assert "Actually, the housing officer did." in html
    assert "Your reflection is saved." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your reflection before you save it."),
        ("     ", "Write your reflection before you save it."),
        ("x" * 10_001, "Keep this to 10,000 characters or fewer."),
    ],
)
def test_bad_reflection_is_refused_and_loses_nothing(signed_in, lesson, learner, text, message):
    block = block_of(lesson, "reflection")
    post_answer(signed_in, lesson, block, text="What I wrote first.")

    response = post_answer(signed_in, lesson, block, text=text)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "nhsuk-error-summary" in html
    assert "Anything you saved before is unchanged." in html
    assert JournalEntry.objects.get(learner=learner).text == "What I wrote first."


@pytest.mark.django_db
def test_action_commitment_saves_text_and_date(signed_in, lesson, learner):
    block = block_of(lesson, "action_commitment")

    post_answer(signed_in, lesson, block, text="Ask the council to the huddle", due_on="2027-03-27")

    entry = JournalEntry.objects.get(learner=learner, kind="action_commitment")
    assert entry.text == "Ask the council to the huddle"
    assert entry.due_on.isoformat() == "2027-03-27"
    assert "27 March 2027" in signed_in.get(lesson.url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "due_on", "message"),
    [
        ("", "2027-03-27", "Write what you will do."),
        ("Call Sam", "", "Enter the date you will do it by."),
        ("Call Sam", "2027-02-30", "Enter a real date"),
        ("x" * 2001, "2027-03-27", "Keep this to 2,000 characters or fewer."),
    ],
)
def test_bad_action_commitment_is_refused(signed_in, lesson, learner, text, due_on, message):
    block = block_of(lesson, "action_commitment")

    response = post_answer(signed_in, lesson, block, text=text, due_on=due_on)

    assert message in response.content.decode()
    assert not JournalEntry.objects.filter(learner=learner).exists()


@pytest.mark.django_db
def test_checklist_ticks_are_saved_shown_and_can_be_unticked(signed_in, lesson, learner):
    block = block_of(lesson, "checklist")
    first, second = (item.id for item in block.value["items"].bound_blocks)

    post_answer(signed_in, lesson, block, ticked=[second, first])
    assert ChecklistProgress.objects.get(learner=learner).ticked == [first, second]
    html = signed_in.get(lesson.url).content.decode()
    assert html.count("checked") >= 2
    assert "2 of 2 ticked." in html

    signed_in.post(answer_url(lesson, block), {})  # nothing ticked now
    assert ChecklistProgress.objects.get(learner=learner).ticked == []


@pytest.mark.django_db
def test_checklist_refuses_items_it_does_not_have(signed_in, lesson, learner):
    block = block_of(lesson, "checklist")

    response = post_answer(signed_in, lesson, block, ticked=["not-an-item"])

    assert "This checklist has changed since you opened it." in response.content.decode()
    assert not ChecklistProgress.objects.exists()


@pytest.mark.django_db
def test_knowledge_check_records_each_attempt_with_feedback(signed_in, lesson, learner):
    block = block_of(lesson, "knowledge_check")
    wrong, right = (option.id for option in block.value["options"].bound_blocks)

    post_answer(signed_in, lesson, block, selected=wrong, attempt_key=uuid.uuid4())
    html = signed_in.get(lesson.url).content.decode()
    assert "Your last answer was not quite right." in html and "Tame." in html

    post_answer(signed_in, lesson, block, selected=right, attempt_key=uuid.uuid4())
    html = signed_in.get(lesson.url).content.decode()
    assert "Your last answer was right." in html and "Wicked." in html
    assert "(2 attempts)" in html
    outcomes = KnowledgeCheckAttempt.objects.filter(learner=learner).order_by("created_at")
    assert [attempt.is_correct for attempt in outcomes] == [False, True]


@pytest.mark.django_db
def test_knowledge_check_double_submit_records_one_attempt(signed_in, lesson, learner):
    block = block_of(lesson, "knowledge_check")
    right = block.value["options"].bound_blocks[1].id
    key = uuid.uuid4()

    for _click in range(2):
        post_answer(signed_in, lesson, block, selected=right, attempt_key=key)

    assert KnowledgeCheckAttempt.objects.filter(learner=learner).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("selected", ["", "made-up-option"])
def test_knowledge_check_without_a_valid_answer_is_refused(signed_in, lesson, selected):
    block = block_of(lesson, "knowledge_check")

    response = post_answer(signed_in, lesson, block, selected=selected, attempt_key=uuid.uuid4())

    html = response.content.decode()
    assert "Choose an answer." in html or "Choose your answer again." in html
    assert not KnowledgeCheckAttempt.objects.exists()


@pytest.mark.django_db
def test_learning_cycle_saves_as_one_entry(signed_in, lesson, learner):
    block = block_of(lesson, "learning_cycle")

    post_answer(signed_in, lesson, block, plan="Try a huddle", act="", observe="", reflect="")
    post_answer(
        signed_in, lesson, block, plan="Try a huddle", act="Ran it twice", observe="", reflect=""
    )

    entry = JournalEntry.objects.get(learner=learner, kind="learning_cycle")
    assert (entry.plan, entry.act, entry.observe) == ("Try a huddle", "Ran it twice", "")


@pytest.mark.django_db
def test_empty_learning_cycle_is_refused(signed_in, lesson):
    block = block_of(lesson, "learning_cycle")

    response = post_answer(signed_in, lesson, block, plan=" ", act="", observe="", reflect="")

    assert "Write something in at least one of the four parts." in response.content.decode()
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_answers_survive_edits_to_the_rest_of_the_page(signed_in, lesson, learner):
    block = block_of(lesson, "reflection")
    post_answer(signed_in, lesson, block, text="Still mine after the edit.")

    editable = LessonPage.objects.get(pk=lesson.pk)
    editable.body.insert(0, ("rich_text", "<p>A new opening paragraph.</p>"))
    editable.save_revision().publish()

    html = signed_in.get(lesson.url).content.decode()
    assert "A new opening paragraph." in html
    assert "Still mine after the edit." in html


@pytest.mark.django_db
def test_deleting_a_lesson_keeps_the_learners_answers(signed_in, lesson, learner):
    post_answer(signed_in, lesson, block_of(lesson, "reflection"), text="Kept forever.")

    LessonPage.objects.get(pk=lesson.pk).delete()

    entry = JournalEntry.objects.get(learner=learner)
    assert (entry.lesson_id, entry.text, entry.lesson_title) == (None, "Kept forever.", "Lesson 1")


# Privacy ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_learner_never_sees_my_answers(client, lesson, learner, other_learner):
    client.force_login(learner)
    post_answer(client, lesson, block_of(lesson, "reflection"), text="A private thought.")

    client.force_login(other_learner)
    html = client.get(lesson.url).content.decode()

    assert "A private thought." not in html


@pytest.mark.django_db
def test_a_programme_lead_never_sees_a_learners_answers(client, lesson, learner):
    client.force_login(learner)
    post_answer(client, lesson, block_of(lesson, "reflection"), text="Only for me.")
    lead = UserFactory(email="lead.person@example.org")
    lead.groups.add(Group.objects.get(name="Programme lead"))

    client.force_login(lead)

    assert "Only for me." not in client.get(lesson.url).content.decode()
    assert "Only for me." not in client.get("/learn/journal/").content.decode()


@pytest.mark.django_db
def test_posting_to_a_block_of_another_lesson_or_a_guessed_id_is_404(signed_in, lesson_tree):
    _programme, _module, (first, second, _third) = lesson_tree
    block = block_of(first, "reflection")

    wrong_lesson = signed_in.post(
        f"/learn/lessons/{second.pk}/answer/{uuid.uuid4()}/", {"x-text": "Hi"}
    )
    guessed_lesson = signed_in.post(f"/learn/lessons/99999/answer/{block.id}/", {})
    not_interactive = signed_in.post(f"/learn/lessons/{first.pk}/answer/{first.body[0].id}/", {})

    assert [wrong_lesson.status_code, guessed_lesson.status_code, not_interactive.status_code] == [
        404,
        404,
        404,
    ]
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_answer_urls_refuse_get_and_anonymous_posts(client, lesson):
    block = block_of(lesson, "reflection")

    assert client.get(answer_url(lesson, block)).status_code == 405
    response = client.post(answer_url(lesson, block), {f"{block.id}-text": "Hello"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_a_live_lesson_in_an_unpublished_module_refuses_answers(signed_in, lesson):
    """The same guard as completing a lesson: the module must be live too."""
    block = block_of(lesson, "reflection")
    Page.objects.filter(pk=lesson.get_parent().pk).update(live=False)  # the lesson stays live

    response = post_answer(signed_in, lesson, block, text="Through the back door")

    assert response.status_code == 404
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_unpublished_lesson_refuses_answers(signed_in, lesson):
    block = block_of(lesson, "reflection")
    LessonPage.objects.get(pk=lesson.pk).unpublish()

    response = post_answer(signed_in, lesson, block, text="Too late")

    assert response.status_code == 404
    assert not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_checklist_renders_checkboxes_and_single_answer_check_renders_radios(signed_in, lesson):
    html = signed_in.get(lesson.url).content.decode()
    checklist = block_of(lesson, "checklist")
    question = block_of(lesson, "knowledge_check")

    checklist_html = html.split(f'id="block-{checklist.id}"')[1].split('id="block-')[0]
    question_html = html.split(f'id="block-{question.id}"')[1].split('id="block-')[0]

    assert 'class="nhsuk-checkboxes__input"' in checklist_html and "radios" not in checklist_html
    assert 'class="nhsuk-radios__input"' in question_html and 'type="radio"' in question_html
