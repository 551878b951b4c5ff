"""The demo content meets the bar it promises, checked without a database.

The second half keeps each fault an outside content review found (issue 14) from coming
back, and checks the case studies written from the real contexts behind the content.
"""

import html
import re

import pytest
from django.utils.html import strip_tags

from assessments.demo_content import CONTENT_DIR as INSTRUMENT_DIR
from modules.demo_content import CONTENT_DIR, load_programmes

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


# ---------------------------------------------------------------------------------------
# Helpers for the content-fix tests. They read the parsed lessons, so they see exactly
# what seed_demo loads.


def _strings(value):
    """Every string a block shows: rich text, titles, prompts, list items and options."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in {"id", "type", "level", "heading_level"}:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _plain(markup: str) -> str:
    markup = re.sub(r"</(p|li|h[1-6])>|<br\s*/?>", "\n", markup)
    return html.unescape(strip_tags(markup))


def _text(lesson) -> str:
    return "\n".join(_plain(text) for text in _strings(lesson.body))


def _sentences(lesson) -> list[str]:
    return [
        sentence.strip()
        for line in _text(lesson).splitlines()
        for sentence in re.split(r"(?<=[.!?])\s+", line)
        if sentence.strip()
    ]


def _headings(lesson) -> list[str]:
    """The lesson's title and every heading in it, with callout, details and checklist
    titles."""
    found = [lesson.title]
    for block in lesson.body:
        value = block["value"]
        if block["type"] == "heading":
            found.append(value["text"])
        elif block["type"] in {"callout", "details"}:
            found.append(value["title"])
        elif block["type"] == "checklist":
            found.append(value["heading"])
    for text in _strings(lesson.body):
        found += [_plain(h) for h in re.findall(r"<h[1-6]>(.*?)</h[1-6]>", text, re.S)]
    return found


def _lessons():
    for programme in load_programmes():
        for module in programme.modules:
            for lesson in module.lessons:
                yield module, lesson


def _modules() -> dict:
    return {module.slug: module for programme in load_programmes() for module in programme.modules}


def _further_reading(module) -> list[str]:
    items = []
    for lesson in module.lessons:
        for text in _strings(lesson.body):
            if "<h3>Further reading</h3>" in text:
                items += [_plain(item) for item in re.findall(r"<li>(.*?)</li>", text, re.S)]
    return items


def _citations() -> list[tuple[str, str, str]]:
    """(file, year, title) for every reading-list line in the shipped lessons and
    instruments. The title is the text after the year up to its first full stop, colon
    or closing mark, lower-cased, so the same work cited twice gets the same key."""
    found = []
    files = sorted(CONTENT_DIR.rglob("*.toml")) + sorted(INSTRUMENT_DIR.glob("*.toml"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = re.match(r"\s*- .*?\((\d{4})\),?\s*(.+)", line)
            if match:
                year, rest = match.groups()
                title = re.split(r"[.:*'\"“”]", rest.lstrip("*'\"“ "), maxsplit=1)[0]
                found.append((path.name, year, title.strip().lower()))
    return found


def _titles() -> set[str]:
    return {module.title for module in _modules().values()} | {
        lesson.title for _, lesson in _lessons()
    }


def test_every_module_or_lesson_the_content_points_to_exists():
    titles = _titles()
    pointers = [
        r"\b(?:module|lesson),? <em>([^<]+)</em>",
        r"\bIn <em>([^<]+)</em> you met",
        r"\bAs <em>([^<]+)</em> explored",
    ]
    missing = [
        (lesson.slug, title)
        for _, lesson in _lessons()
        for text in _strings(lesson.body)
        for pattern in pointers
        for title in re.findall(pattern, text)
        if html.unescape(title) not in titles
    ]
    assert missing == []


def test_grint_and_tame_problems_are_taught_where_leading_through_ambiguity_says():
    modules = _modules()
    recap = _text(modules["leading-through-ambiguity"].lessons[0])
    assert "In Leading beyond your organisation you met" in recap
    assert "Grint" in recap and "tame" in recap

    earlier = " ".join(
        _text(lesson) for lesson in modules["leading-beyond-your-organisation"].lessons
    )
    for idea in ("Grint", "tame problems", "wicked problems", "critical problems"):
        assert idea.lower() in earlier.lower(), idea
    for response in ("management", "leadership", "command"):
        assert re.search(rf"call for \*?{response}", earlier), response
    assert any(
        "Grint" in item for item in _further_reading(modules["leading-beyond-your-organisation"])
    )


def test_weisbord_is_named_wherever_whats_possible_and_who_cares_is_taught():
    question = re.compile(r"what(?:'s|’s| might be| is) possible,? and who cares", re.I)
    lessons = [lesson for _, lesson in _lessons() if question.search(_text(lesson))]

    assert len(lessons) >= 2
    assert [lesson.slug for lesson in lessons if "Weisbord" not in _text(lesson)] == []
    assert any(
        "Weisbord" in item for item in _further_reading(_modules()["leading-through-ambiguity"])
    )


def test_the_collaborative_models_origin_is_credited():
    first = _text(_modules()["a-step-by-step-model-for-collaboration"].lessons[0])
    for fact in (
        "2017",
        "about forty people",
        "King's Fund",
        "mental health and community trust",
        "East Midlands",
        "volunteers",
        "people who use services",
    ):
        assert fact in first, fact


def test_mccold_and_wachtel_are_in_the_reading_wherever_restorative_practice_is_taught():
    teaching = {
        module.slug
        for module, lesson in _lessons()
        if "restorative practice" in _text(lesson).lower()
    }

    assert teaching
    for slug in teaching:
        reading = _further_reading(_modules()[slug])
        assert any("McCold" in item and "Wachtel" in item for item in reading), slug


ARNSTEIN_GROUPS = {
    "non-participation": {"manipulation", "therapy"},
    "tokenism": {"informing", "consultation", "placation"},
    "citizen power": {"partnership", "delegated power", "citizen control"},
}


def test_arnsteins_ladder_has_eight_rungs_in_three_groups_with_informing_among_tokenism():
    lessons = [lesson for _, lesson in _lessons() if "Arnstein" in _text(lesson)]
    assert lessons
    for lesson in lessons:
        items = [
            _plain(item).lower()
            for text in _strings(lesson.body)
            for item in re.findall(r"<li>(.*?)</li>", text, re.S)
        ]
        for group, rungs in ARNSTEIN_GROUPS.items():
            item = next((item for item in items if item.startswith(group)), "")
            assert all(rung in item for rung in rungs), (group, item)
            others = set().union(*ARNSTEIN_GROUPS.values()) - rungs - {"partnership"}
            assert not any(rung in item.split(".")[0] for rung in others), (group, item)
        assert "eight rungs" in _text(lesson)
        bottom = next(item for item in items if item.startswith("non-participation"))
        assert "telling" not in bottom and "informing" not in bottom


def test_each_work_is_cited_in_one_edition_everywhere():
    years: dict[str, set[str]] = {}
    for _, year, title in _citations():
        years.setdefault(title, set()).add(year)

    assert {title: found for title, found in years.items() if len(found) > 1} == {}
    assert years["the fearless organization"] == {"2018"}
    assert years["abc of action learning"] == {"2011"}


# Each idea is taught in one home lesson. Elsewhere it may be mentioned briefly, but no
# other lesson gives it a heading, and a mention of walking away points to its home.
HOME_LESSONS = {
    "walking away": (
        re.compile(r"\bwalk(?:ing)? away\b", re.I),
        "Structure, process, and knowing when to walk away",
    ),
    "Schwartz Rounds": (
        re.compile(r"\bSchwartz\b|\bRounds?\b"),
        "What Schwartz Rounds are",
    ),
}
# Words that describe how a Round runs: a sentence naming Rounds with two or more of these
# is teaching the format rather than mentioning it.
HOW_A_ROUND_RUNS = re.compile(
    r"panel|facilitat|once a month|monthly|one hour|hour-long|licen[cs]|confidential"
    r"|stays in the room",
    re.I,
)


@pytest.mark.parametrize("topic", HOME_LESSONS)
def test_walking_away_and_schwartz_rounds_are_each_taught_in_one_lesson(topic):
    pattern, home = HOME_LESSONS[topic]
    homes = [lesson for _, lesson in _lessons() if lesson.title == home]
    assert len(homes) == 1
    assert any(pattern.search(heading) for heading in _headings(homes[0]))
    assert sum(bool(pattern.search(sentence)) for sentence in _sentences(homes[0])) >= 4

    for _, lesson in _lessons():
        if lesson.title == home:
            continue
        headings = [heading for heading in _headings(lesson) if pattern.search(heading)]
        assert headings == [], lesson.slug
        mentions = [sentence for sentence in _sentences(lesson) if pattern.search(sentence)]
        if topic == "walking away":
            assert all(home in mention for mention in mentions), lesson.slug
        else:
            teaching = [s for s in mentions if len(HOW_A_ROUND_RUNS.findall(s)) >= 2]
            assert teaching == [], lesson.slug


def test_kantor_lesson_advises_naming_an_action_out_loud():
    lessons = [
        lesson
        for _, lesson in _lessons()
        if "Kantor" in _text(lesson) and "bystand" in _text(lesson).lower()
    ]
    assert lessons
    for lesson in lessons:
        text = _text(lesson)
        assert "need to explain Kantor" not in text
        assert "name your action out loud" in text.lower()


# The three case studies: each a lesson in the module it illustrates, written from the
# facts in the content brief, with something for the learner to do.
CASE_STUDIES = {
    "leading-beyond-your-organisation": (
        "West Yorkshire",
        "three-step question",
        "community champions",
        "apprenticeships",
    ),
    "a-step-by-step-model-for-collaboration": (
        "2017",
        "about forty people",
        "King's Fund",
        "what to do next",
    ),
    "the-five-dysfunctions-of-a-team": (
        "council",
        "NHS foundation trust",
        "2020",
        "July 2022",
        "strengths assessment",
    ),
}
# The only capitalised words a case study may use mid-sentence: places, organisations,
# and the authors whose published models the lessons build on. Anything else is likely
# a person's name, and case studies name no real person. Add to this list with care.
CASE_STUDY_PROPER_NOUNS = {
    "East", "Midlands", "West", "Yorkshire", "South", "England", "NHS", "King", "Fund",
    "July", "I", "Schwartz", "Rounds",
    "Huxham", "Vangen", "Kantor", "Marvin", "Weisbord", "Lencioni",
}  # fmt: skip


def test_three_case_studies_sit_in_the_modules_they_illustrate():
    modules = _modules()
    for slug, facts in CASE_STUDIES.items():
        cases = [
            lesson for lesson in modules[slug].lessons if lesson.title.startswith("Case study:")
        ]
        assert len(cases) == 1, slug
        case = cases[0]
        assert case.words >= 250
        assert {"reflection", "action_commitment"} & {block["type"] for block in case.body}, slug
        for fact in facts:
            assert fact.lower() in _text(case).lower(), (slug, fact)


def test_case_studies_name_no_real_person():
    titles = _titles()
    for _, lesson in _lessons():
        if not lesson.title.startswith("Case study:"):
            continue
        shown = [block for block in lesson.body if "Further reading" not in str(block["value"])]
        text = "\n".join(_plain(value) for value in _strings(shown))
        for title in titles:
            text = text.replace(title, "")
        unexpected = set()
        for line in text.splitlines():
            for sentence in re.split(r"(?<=[.!?:;])\s+|[(“\"]", line):
                words = re.findall(r"[A-Za-z][\w’'-]*", sentence)[1:]
                names = {re.sub(r"[’']s$", "", word) for word in words if word[0].isupper()}
                unexpected |= names - CASE_STUDY_PROPER_NOUNS
        assert unexpected == set(), (lesson.slug, unexpected)
