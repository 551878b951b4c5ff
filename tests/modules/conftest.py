"""Fixtures for lesson tests: a small programme > module > lessons tree."""

import pytest

from modules.models import LessonPage, ModulePage, ProgrammePage
from tests.factories import UserFactory, publish

INTERACTIVE_BODY = [
    ("rich_text", "<p>Relationships come before structures.</p>"),
    ("reflection", {"prompt": "When did a partner surprise you?", "hint": ""}),
    (
        "action_commitment",
        {"prompt": "What will you do differently, and by when?", "hint": ""},
    ),
    (
        "checklist",
        {
            "heading": "Before the first meeting",
            "introduction": "",
            "items": ["Agree why we are here", "Invite people who use services"],
        },
    ),
    (
        "knowledge_check",
        {
            "question": "Which problems are wicked?",
            "options": [
                {"text": "Fixing a broken boiler", "is_correct": False, "feedback": "Tame."},
                {"text": "Reducing loneliness", "is_correct": True, "feedback": "Wicked."},
            ],
        },
    ),
    (
        "learning_cycle",
        {
            "introduction": "Try one small change.",
            "plan_prompt": "Plan",
            "act_prompt": "Act",
            "observe_prompt": "Observe",
            "reflect_prompt": "Reflect",
        },
    ),
]


def build_module(home_page, *, lessons: int = 3, slug: str = "seeing-the-system"):
    programme = ProgrammePage.objects.child_of(home_page).first() or publish(
        home_page,
        ProgrammePage(title="Systems leadership", slug="systems", summary="Leading together."),
    )
    module = publish(
        programme,
        ModulePage(
            title="Seeing the system",
            slug=slug,
            summary="Map who is involved.",
            learning_outcomes=[("outcome", "Draw a stakeholder map")],
            estimated_minutes=30,
        ),
    )
    pages = [
        publish(
            module,
            LessonPage(
                title=f"Lesson {number}",
                slug=f"lesson-{number}",
                estimated_minutes=10,
                body=INTERACTIVE_BODY,
            ),
        )
        for number in range(1, lessons + 1)
    ]
    return programme, module, pages


@pytest.fixture
def lesson_tree(home_page):
    return build_module(home_page)


@pytest.fixture
def lesson(lesson_tree):
    return lesson_tree[2][0]


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def other_learner(db):
    return UserFactory(email="someone.else@example.org")


def block_of(lesson, block_type: str):
    return next(block for block in lesson.body if block.block_type == block_type)
