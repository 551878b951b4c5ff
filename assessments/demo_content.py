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
    # Band positions ("dimensions" or "composites", its index, band index) to the slug of
    # the module they suggest.
    suggested_modules: dict[tuple[str, int, int], str]


def _html(text: str) -> str:
    return markdown.markdown(text.strip(), output_format="html")


def _id(*parts) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, "/".join(str(part) for part in parts)))


def _bands(slug: str, kind: str, key: str, raw_bands: list) -> list[dict]:
    return [
        {
            "type": "item",
            "id": _id(slug, kind, key, b_index),
            "value": {
                "lower": str(band["lower"]),
                "upper": str(band["upper"]),
                "label": band["label"],
                "feedback": _html(band["feedback"]),
                "suggested_module": None,
            },
        }
        for b_index, band in enumerate(raw_bands)
    ]


def _suggested(field: str, index: int, raw_bands: list) -> dict[tuple[str, int, int], str]:
    return {
        (field, index, b_index): band["suggested_module"]
        for b_index, band in enumerate(raw_bands)
        if band.get("suggested_module")
    }


def _composites(slug: str, raw: dict, names: dict[str, str], suggested: dict) -> list[dict]:
    """Combined scores (`[[composites]]`), naming their dimensions by key in the file."""
    composites = []
    for c_index, composite in enumerate(raw.get("composites", [])):
        raw_bands = composite.get("bands", [])
        suggested.update(_suggested("composites", c_index, raw_bands))
        composites.append(
            {
                "type": "composite",
                "id": _id(slug, "composite", composite["key"]),
                "value": {
                    "name": composite["name"],
                    "description": composite.get("description", ""),
                    "rule": composite["scoring"],
                    "dimensions": [
                        {
                            "type": "item",
                            "id": _id(slug, "composite-part", composite["key"], p_index),
                            "value": names.get(key, key),
                        }
                        for p_index, key in enumerate(composite["dimensions"])
                    ],
                    "bands": _bands(slug, "composite-band", composite["key"], raw_bands),
                },
            }
        )
    return composites


def parse(raw: dict) -> InstrumentSpec:
    slug = raw["slug"]
    names = {dimension["key"]: dimension["name"] for dimension in raw["dimensions"]}
    suggested: dict[tuple[str, int, int], str] = {}
    dimensions = []
    for d_index, dimension in enumerate(raw["dimensions"]):
        raw_bands = dimension.get("bands", [])
        suggested.update(_suggested("dimensions", d_index, raw_bands))
        bands = _bands(slug, "band", dimension["key"], raw_bands)
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
        "composites": _composites(slug, raw, names, suggested),
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
