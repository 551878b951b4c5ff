"""The shipped facilitator guides: read from `guide_content/*.toml`, published by
`seed_guides(log)`.

Parsing is separate from publishing so that tests can check every guide (its parts, its
timed plan, its worksheets) without a database. Block ids derive from each file's slug and
the positions in it, so loading the same file twice gives the same ids. Publishing is
idempotent: the index and each guide are created when missing and never overwritten, so an
editor's changes survive another run. See `guide_content/README.md` for the file format.
"""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
from django.db import transaction
from wagtail.models import Site

from . import guide_plans
from .guides import FacilitatorGuideIndexPage, FacilitatorGuidePage
from .worksheets import WORKSHEETS

CONTENT_DIR = Path(__file__).resolve().parent / "guide_content"
INDEX_FILE = "index.toml"
ID_NAMESPACE = uuid.UUID("7c2e4a91-3f5d-4b8e-a6c0-1d9e2f3b4a57")
REQUIRED = ("title", "slug", "summary", "purpose", "room_and_materials", "online_variation")


class GuideContentError(ValueError):
    pass


@dataclass(frozen=True)
class GuideSpec:
    slug: str
    fields: dict  # ready for FacilitatorGuidePage(**fields)
    entries: tuple[guide_plans.Part | guide_plans.Step, ...]  # the plan, for checking


def _html(text: str) -> str:
    return markdown.markdown(text.strip(), output_format="html")


def _id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def parse_guide(raw: dict, *, source: str = "") -> GuideSpec:
    missing = [key for key in REQUIRED if not str(raw.get(key, "")).strip()]
    if missing:
        raise GuideContentError(f"{source}: missing {', '.join(missing)}")
    slug = raw["slug"]
    plan, entries = [], []
    for index, item in enumerate(raw.get("plan", [])):
        if "session" in item:
            value = {"heading": item["session"], "introduction": item.get("introduction", "")}
            plan.append({"type": "part", "id": _id(slug, "plan", index), "value": value})
            entries.append(guide_plans.Part(heading=value["heading"]))
            continue
        try:
            value = {
                "title": item["title"],
                "minutes": int(item["minutes"]),
                "instructions": _html(item["instructions"]),
                "materials": item.get("materials", ""),
            }
        except KeyError as missing_key:
            raise GuideContentError(
                f"{source}: plan step {index + 1} needs {missing_key}"
            ) from None
        plan.append({"type": "step", "id": _id(slug, "plan", index), "value": value})
        entries.append(guide_plans.Step(title=value["title"], minutes=value["minutes"]))
    worksheets = []
    for index, item in enumerate(raw.get("worksheets", [])):
        if item.get("key") not in WORKSHEETS:
            raise GuideContentError(f"{source}: unknown worksheet {item.get('key')!r}")
        worksheets.append(
            {
                "type": "worksheet",
                "id": _id(slug, "worksheet", index),
                "value": {"worksheet": item["key"], "note": item.get("note", "")},
            }
        )
    fields = {
        "title": raw["title"],
        "slug": slug,
        "summary": " ".join(raw["summary"].split()),
        "group_size": raw.get("group_size", ""),
        "purpose": _html(raw["purpose"]),
        "plan": plan,
        "room_and_materials": _html(raw["room_and_materials"]),
        "online_variation": _html(raw["online_variation"]),
        "worksheets": worksheets,
    }
    return GuideSpec(slug=slug, fields=fields, entries=tuple(entries))


def load_index(content_dir: Path = CONTENT_DIR) -> dict:
    raw = tomllib.loads((content_dir / INDEX_FILE).read_text(encoding="utf-8"))
    return {
        "title": raw["title"],
        "slug": raw["slug"],
        "introduction": " ".join(raw.get("introduction", "").split()),
    }


def load_guides(content_dir: Path = CONTENT_DIR) -> list[GuideSpec]:
    guides = []
    for path in sorted(content_dir.glob("*.toml")):
        if path.name == INDEX_FILE:
            continue
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise GuideContentError(f"{path.name}: {error}") from error
        guides.append(parse_guide(raw, source=path.name))
    return guides


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@transaction.atomic
def seed_guides(log: Callable[[str], None]) -> FacilitatorGuideIndexPage:
    """Publish the guide index under the default site's home page, and every shipped
    guide that it does not hold yet. Safe to run again."""
    home = Site.objects.get(is_default_site=True).root_page
    index_fields = load_index()
    index = FacilitatorGuideIndexPage.objects.child_of(home).first()
    if index is None:
        index = _publish(home, FacilitatorGuideIndexPage(**index_fields))
        log(f"facilitator guides: {index.title}")
    existing = set(FacilitatorGuidePage.objects.child_of(index).values_list("slug", flat=True))
    for spec in load_guides():
        if spec.slug in existing:
            continue
        _publish(index, FacilitatorGuidePage(**spec.fields))
        log(f"facilitator guide: {spec.fields['title']}")
    return index
