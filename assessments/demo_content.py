"""Read the shipped instruments from `assessments/demo_content/*.toml`.

Parsing is separate from saving so that tests can check the content and score it without a
database. Block ids derive from each file's slug and the positions in it, so loading the
same file twice gives the same ids. See `assessments/demo_content/README.md`.
"""

import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

import markdown

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
ID_NAMESPACE = uuid.UUID("5d0f3c1e-8a4b-4f0e-9a57-3b1f6c2d9e84")


@dataclass(frozen=True)
class InstrumentSpec:
    """One instrument's fields, with StreamField data ready to assign."""

    slug: str
    fields: dict
    # Band positions (dimension index, band index) to the slug of the module they suggest.
    suggested_modules: dict[tuple[int, int], str]


def _html(text: str) -> str:
    return markdown.markdown(text.strip(), output_format="html")


def _id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def parse(raw: dict) -> InstrumentSpec:
    slug = raw["slug"]
    names = {dimension["key"]: dimension["name"] for dimension in raw["dimensions"]}
    suggested = {}
    dimensions = []
    for d_index, dimension in enumerate(raw["dimensions"]):
        bands = []
        for b_index, band in enumerate(dimension.get("bands", [])):
            if band.get("suggested_module"):
                suggested[(d_index, b_index)] = band["suggested_module"]
            bands.append(
                {
                    "type": "item",
                    "id": _id(slug, "band", dimension["key"], b_index),
                    "value": {
                        "lower": str(band["lower"]),
                        "upper": str(band["upper"]),
                        "label": band["label"],
                        "feedback": _html(band["feedback"]),
                        "suggested_module": None,
                    },
                }
            )
        dimensions.append(
            {
                "type": "dimension",
                "id": _id(slug, "dimension", dimension["key"]),
                "value": {
                    "name": dimension["name"],
                    "cluster": dimension.get("cluster", ""),
                    "description": dimension.get("description", ""),
                    "rule": dimension["scoring"],
                    "scaled_min": _optional(dimension.get("scaled_min")),
                    "scaled_max": _optional(dimension.get("scaled_max")),
                    "bands": bands,
                },
            }
        )
    items = []
    for s_index, section in enumerate(raw["sections"]):
        items.append(
            {
                "type": "section",
                "id": _id(slug, "section", s_index),
                "value": {"heading": section["heading"], "intro": section.get("intro", "")},
            }
        )
        for i_index, item in enumerate(section["items"]):
            items.append(
                {
                    "type": "item",
                    "id": _id(slug, "item", s_index, i_index),
                    "value": {
                        "text": item["text"],
                        "dimension": names.get(item["dimension"], item["dimension"]),
                        "reverse": bool(item.get("reverse", False)),
                    },
                }
            )
    fields = {
        "title": raw["title"],
        "slug": slug,
        "kind": raw["kind"],
        "summary": raw["summary"],
        "introduction": _html(raw["introduction"]),
        "estimated_minutes": raw["estimated_minutes"],
        "show_ranking": raw.get("show_ranking", False),
        "scale": [
            {
                "type": "option",
                "id": _id(slug, "scale", index),
                "value": {"label": option["label"], "value": option["value"]},
            }
            for index, option in enumerate(raw["scale"])
        ],
        "dimensions": dimensions,
        "items": items,
    }
    return InstrumentSpec(slug=slug, fields=fields, suggested_modules=suggested)


def _optional(value) -> str | None:
    return None if value is None else str(value)


def load_instruments() -> list[InstrumentSpec]:
    specs = []
    for path in sorted(CONTENT_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            specs.append(parse(tomllib.load(handle)))
    return specs
