"""Read the demo programmes, modules and lessons from `modules/demo_content/`.

Parsing is separate from writing pages so that tests can check the content (word counts,
interactive blocks) without a database. See `modules/demo_content/README.md`.
"""

import re
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import markdown
from django.utils.html import strip_tags
from django.utils.text import slugify

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
# Block and list-item ids are derived from the content's position, so loading the same
# files twice gives the same ids.
ID_NAMESPACE = uuid.UUID("0b6f3a52-7d38-4d1c-9f3e-2f4a7c8e9d10")

INTERACTIVE_TYPES = {
    "reflection",
    "action_commitment",
    "checklist",
    "knowledge_check",
    "learning_cycle",
}
WORDS = re.compile(r"[A-Za-z0-9’']+")


class DemoContentError(ValueError):
    pass


@dataclass
class Lesson:
    title: str
    slug: str
    estimated_minutes: int
    body: list[dict]
    words: int
    interactive: int


@dataclass
class Module:
    title: str
    slug: str
    summary: str
    estimated_minutes: int
    audience: str
    outcomes: list[str]
    tags: list[str]
    prerequisites: list[str]
    lessons: list[Lesson] = field(default_factory=list)


@dataclass
class Programme:
    title: str
    slug: str
    summary: str
    introduction: str
    modules: list[Module] = field(default_factory=list)


def markdown_to_html(text: str) -> str:
    return markdown.markdown(text.strip(), output_format="html")


def _stable_id(*parts: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(parts)))


def _list_items(values: list, key: str) -> list[dict]:
    return [
        {"type": "item", "value": value, "id": _stable_id(key, str(index))}
        for index, value in enumerate(values)
    ]


def _word_count(html_or_text: str) -> int:
    return len(WORDS.findall(strip_tags(html_or_text)))


def _block(raw: dict, key: str) -> tuple[dict, int]:
    """Turn one block of a lesson file into StreamField data, and count its words."""
    kind = raw.get("type")
    try:
        match kind:
            case "text":
                html = markdown_to_html(raw["markdown"])
                return {"type": "rich_text", "value": html}, _word_count(html)
            case "heading":
                value = {"text": raw["text"], "level": raw.get("level", "h2")}
                return {"type": "heading", "value": value}, 0
            case "quote":
                value = {"quote": raw["quote"], "attribution": raw.get("attribution", "")}
                return {"type": "quote", "value": value}, _word_count(raw["quote"])
            case "inset":
                html = markdown_to_html(raw["markdown"])
                return {"type": "inset_text", "value": {"body": html}}, _word_count(html)
            case "callout":
                html = markdown_to_html(raw["markdown"])
                value = {"title": raw["title"], "heading_level": 3, "body": html}
                return {"type": "callout", "value": value}, _word_count(html)
            case "details":
                html = markdown_to_html(raw["markdown"])
                body = [{"type": "richtext", "value": html, "id": _stable_id(key, "body")}]
                value = {"title": raw["title"], "body": body}
                return {"type": "details", "value": value}, _word_count(html)
            case "do_list" | "dont_list":
                items = [markdown_to_html(item) for item in raw["items"]]
                list_key = "do" if kind == "do_list" else "dont"
                value = {
                    "heading_level": 3,
                    "label": raw.get("label", ""),
                    list_key: _list_items(items, key),
                }
                return {"type": kind, "value": value}, sum(map(_word_count, items))
            case "reflection" | "action_commitment":
                value = {"prompt": raw["prompt"], "hint": raw.get("hint", "")}
                return {"type": kind, "value": value}, 0
            case "checklist":
                value = {
                    "heading": raw["heading"],
                    "introduction": raw.get("introduction", ""),
                    "items": _list_items(raw["items"], key),
                }
                return {"type": "checklist", "value": value}, 0
            case "knowledge_check":
                options = [
                    {
                        "text": option["text"],
                        "is_correct": bool(option.get("correct", False)),
                        "feedback": option.get("feedback", ""),
                    }
                    for option in raw["options"]
                ]
                if len(options) < 2 or not any(option["is_correct"] for option in options):
                    raise DemoContentError(f"{key}: a knowledge check needs a right answer")
                value = {"question": raw["question"], "options": _list_items(options, key)}
                return {"type": "knowledge_check", "value": value}, 0
            case "learning_cycle":
                value = {"introduction": raw.get("introduction", "")}
                for stage in ("plan", "act", "observe", "reflect"):
                    if f"{stage}_prompt" in raw:
                        value[f"{stage}_prompt"] = raw[f"{stage}_prompt"]
                return {"type": "learning_cycle", "value": value}, 0
    except KeyError as missing:
        raise DemoContentError(f"{key}: a '{kind}' block needs {missing}") from None
    raise DemoContentError(f"{key}: unknown block type {kind!r}")


def _lesson(raw: dict, key: str) -> Lesson:
    slug = raw.get("slug") or slugify(raw["title"])
    lesson_key = f"{key}/{slug}"
    body, words, interactive = [], 0, 0
    for index, raw_block in enumerate(raw.get("blocks", [])):
        block_key = f"{lesson_key}/{index}"
        block, block_words = _block(raw_block, block_key)
        block["id"] = _stable_id(block_key)
        body.append(block)
        words += block_words
        interactive += raw_block["type"] in INTERACTIVE_TYPES
    return Lesson(
        title=raw["title"],
        slug=slug,
        estimated_minutes=int(raw.get("estimated_minutes", 10)),
        body=body,
        words=words,
        interactive=interactive,
    )


def _module(path: Path, programme_slug: str) -> Module:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    slug = raw.get("slug") or slugify(raw["title"])
    key = f"{programme_slug}/{slug}"
    return Module(
        title=raw["title"],
        slug=slug,
        summary=raw["summary"].strip(),
        estimated_minutes=int(raw.get("estimated_minutes", 30)),
        audience=raw.get("audience", ""),
        outcomes=list(raw.get("outcomes", [])),
        tags=list(raw.get("tags", [])),
        prerequisites=list(raw.get("prerequisites", [])),
        lessons=[_lesson(lesson, key) for lesson in raw.get("lessons", [])],
    )


def load_programmes(content_dir: Path = CONTENT_DIR) -> list[Programme]:
    programmes = []
    for folder in sorted(path for path in content_dir.iterdir() if path.is_dir()):
        programme_file = folder / "programme.toml"
        if not programme_file.exists():
            continue
        try:
            raw = tomllib.loads(programme_file.read_text(encoding="utf-8"))
            slug = raw.get("slug") or slugify(raw["title"])
            programme = Programme(
                title=raw["title"],
                slug=slug,
                summary=raw["summary"].strip(),
                introduction=markdown_to_html(raw.get("introduction", "")),
            )
            for module_file in sorted(folder.glob("*.toml")):
                if module_file.name != "programme.toml":
                    programme.modules.append(_module(module_file, slug))
        except (tomllib.TOMLDecodeError, KeyError) as error:
            raise DemoContentError(f"{folder.name}: {error!r}") from error
        programmes.append(programme)
    return programmes
