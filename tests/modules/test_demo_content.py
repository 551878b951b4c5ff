"""The demo content meets the bar it promises, checked without a database."""

from modules.demo_content import load_programmes

PROGRAMME_MODULES = {
    "systems-and-relational-leadership": 10,
    "strengths-and-team-dysfunctions": 3,
    "compassionate-cultures": 3,
    "working-collaboratively": 3,
}


def test_four_programmes_with_enough_modules():
    programmes = {programme.slug: programme for programme in load_programmes()}

    assert set(programmes) == set(PROGRAMME_MODULES)
    for slug, minimum in PROGRAMME_MODULES.items():
        assert len(programmes[slug].modules) >= minimum, slug


def test_every_lesson_has_real_text_and_something_to_do():
    shortfalls = []
    for programme in load_programmes():
        assert len(programme.summary) > 20
        for module in programme.modules:
            if len(module.lessons) < 3:
                shortfalls.append(f"{module.slug}: {len(module.lessons)} lessons")
            if len(module.outcomes) < 2:
                shortfalls.append(f"{module.slug}: {len(module.outcomes)} outcomes")
            for lesson in module.lessons:
                if lesson.words < 250:
                    shortfalls.append(f"{module.slug}/{lesson.slug}: {lesson.words} words")
                if lesson.interactive < 1:
                    shortfalls.append(f"{module.slug}/{lesson.slug}: nothing interactive")
    assert shortfalls == []


def test_collaboration_model_has_a_checklist_for_each_step():
    programme = next(p for p in load_programmes() if p.slug == "working-collaboratively")
    model = programme.modules[0]
    checklists = [
        block for lesson in model.lessons for block in lesson.body if block["type"] == "checklist"
    ]
    assert len(checklists) >= 7


def test_block_ids_are_stable_between_loads():
    first = [
        block["id"]
        for p in load_programmes()
        for m in p.modules
        for lesson in m.lessons
        for block in lesson.body
    ]
    second = [
        block["id"]
        for p in load_programmes()
        for m in p.modules
        for lesson in m.lessons
        for block in lesson.body
    ]

    assert first == second
    assert len(set(first)) == len(first)


def test_no_placeholder_text():
    for programme in load_programmes():
        for module in programme.modules:
            for lesson in module.lessons:
                text = str(lesson.body).lower()
                assert "lorem ipsum" not in text and "placeholder" not in text, lesson.slug
