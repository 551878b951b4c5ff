"""Every block renders on its own (its Meta template exists) and validates what it must."""

import pytest
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail_factories import ImageFactory

from modules.blocks import AccessibleImageBlock, KnowledgeCheckBlock, LessonBodyBlock
from tests.modules.conftest import INTERACTIVE_BODY


@pytest.mark.django_db
def test_every_lesson_block_renders_outside_a_lesson():
    image = ImageFactory()
    body = [
        *INTERACTIVE_BODY,
        ("heading", {"text": "Seeing the whole", "level": "h3"}),
        ("image", {"image": image.pk, "alt_text": "A map of partners", "decorative": False}),
        ("quote", {"quote": "Start with who cares.", "attribution": "A ward sister"}),
        ("inset_text", {"body": "<p>Relationships first.</p>"}),
        ("callout", {"title": "Remember", "heading_level": 3, "body": "<p>Pause.</p>"}),
        ("do_list", {"heading_level": 3, "label": "", "do": ["<p>Listen</p>"]}),
        ("dont_list", {"heading_level": 3, "label": "", "dont": ["<p>Rush</p>"]}),
    ]
    raw = [{"type": block_type, "value": value} for block_type, value in body]
    stream = LessonBodyBlock().to_python(raw)

    html = "".join(block.render() for block in stream)

    for text in [
        "When did a partner surprise you?",
        "What will you do differently, and by when?",
        "Before the first meeting",
        "Which problems are wicked?",
        "Try one small change.",
        "Seeing the whole",
        'alt="A map of partners"',
        "Start with who cares.",
        "Relationships first.",
        "Pause.",
        "Listen",
        "Rush",
    ]:
        assert text in html, text


@pytest.mark.django_db
def test_image_needs_a_text_alternative_or_the_decorative_tick():
    block = AccessibleImageBlock()
    image = ImageFactory()

    with pytest.raises(StructBlockValidationError) as missing:
        block.clean(block.to_python({"image": image.pk, "alt_text": " ", "decorative": False}))
    assert "alt_text" in missing.value.block_errors
    with pytest.raises(StructBlockValidationError) as both:
        block.clean(block.to_python({"image": image.pk, "alt_text": "Map", "decorative": True}))
    assert "decorative" in both.value.block_errors

    decorative = block.clean(block.to_python({"image": image.pk, "decorative": True}))
    assert decorative["decorative"] is True
    assert 'alt=""' in block.render(decorative)


def test_knowledge_check_needs_a_right_answer():
    block = KnowledgeCheckBlock()
    value = block.to_python(
        {
            "question": "Which?",
            "options": [
                {"text": "A", "is_correct": False, "feedback": ""},
                {"text": "B", "is_correct": False, "feedback": ""},
            ],
        }
    )

    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)

    assert "Mark at least one option as a right answer." in str(error.value.non_block_errors)
