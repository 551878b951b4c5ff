"""Build instruments, responses and teams for tests, through the same services learners use."""

from collections.abc import Callable, Sequence

from assessments import services
from assessments.models import Instrument, Response, Team
from tests.factories import without_index_updates

AGREEMENT = [
    ("Strongly disagree", 1),
    ("Disagree", 2),
    ("Neither agree nor disagree", 3),
    ("Agree", 4),
    ("Strongly agree", 5),
]
USUALLY = [("Usually", 3), ("Sometimes", 2), ("Rarely", 1)]


def band(lower, upper, label, feedback="", suggested_module=None) -> dict:
    return {
        "lower": lower,
        "upper": upper,
        "label": label,
        "feedback": feedback or f"<p>Feedback for {label.lower()}.</p>",
        "suggested_module": suggested_module,
    }


def dimension(name, *, rule="mean", bands=(), scaled=None, cluster="", description="") -> dict:
    return {
        "name": name,
        "cluster": cluster,
        "description": description or f"What {name.lower()} means.",
        "rule": rule,
        "scaled_min": scaled[0] if scaled else None,
        "scaled_max": scaled[1] if scaled else None,
        "bands": [band(*spec) if isinstance(spec, tuple) else spec for spec in bands],
    }


def composite(name, parts, *, rule="sum", bands=(), description="") -> dict:
    """A combined score over the dimensions named in `parts`."""
    return {
        "name": name,
        "description": description or f"What {name.lower()} means.",
        "rule": rule,
        "dimensions": list(parts),
        "bands": [band(*spec) if isinstance(spec, tuple) else spec for spec in bands],
    }


def build_instrument(
    *,
    slug: str = "team-check",
    title: str = "Team check",
    kind: str = Instrument.Kind.INDIVIDUAL,
    scale: Sequence[tuple[str, int]] = USUALLY,
    dimensions: Sequence[dict] = (),
    composites: Sequence[dict] = (),
    sections: Sequence[tuple[str, Sequence[tuple]]] = (),
    show_ranking: bool = False,
    publish: bool = True,
    validate: bool = True,
) -> Instrument:
    """An instrument from compact specs; `sections` is [(heading, [(text, dimension, reverse)])].

    Published (a live revision) unless `publish` is false, in which case it is saved as a
    draft that learners cannot take.
    """
    items = []
    for heading, questions in sections:
        items.append(("section", {"heading": heading, "intro": ""}))
        for text, dimension_name, *reverse in questions:
            items.append(
                (
                    "item",
                    {
                        "text": text,
                        "dimension": dimension_name,
                        "reverse": bool(reverse and reverse[0]),
                    },
                )
            )
    instrument = Instrument(
        title=title,
        slug=slug,
        kind=kind,
        summary=f"A short check called {title}.",
        introduction="<p>There are no right answers.</p>",
        show_ranking=show_ranking,
        scale=[("option", {"label": label, "value": value}) for label, value in scale],
        dimensions=[("dimension", spec) for spec in dimensions],
        composites=[("composite", spec) for spec in composites],
        items=items,
        live=False,
    )
    if validate:
        instrument.full_clean()
    with without_index_updates():
        instrument.save()
        revision = instrument.save_revision()
        if publish:
            revision.publish()
    if publish:
        instrument.refresh_from_db()
    return instrument


def small_instrument(**overrides) -> Instrument:
    """Two dimensions of three questions (one reverse-keyed) on Usually/Sometimes/Rarely,
    summed (3 to 9) with three bands, over two sections."""
    bands = [(8, 9, "Probably a strength"), (6, 7, "Could be a problem"), (3, 5, "Needs attention")]
    spec = {
        "dimensions": [
            dimension("Trust", rule="sum", bands=bands),
            dimension("Conflict", rule="sum", bands=bands),
        ],
        "sections": [
            (
                "How we get on",
                [
                    ("We admit our mistakes to each other.", "Trust"),
                    ("We argue about ideas, not people.", "Conflict"),
                    ("We hide our weaknesses from each other.", "Trust", True),
                ],
            ),
            (
                "How we decide",
                [
                    ("We say what we think in meetings.", "Conflict"),
                    ("We ask each other for help.", "Trust"),
                    ("We avoid difficult topics.", "Conflict", True),
                ],
            ),
        ],
    }
    spec.update(overrides)
    return build_instrument(**spec)


def forty_item_instrument(size: int = 40) -> Instrument:
    """`size` agreement questions over four dimensions and four sections."""
    names = ["Listening", "Understanding", "Empathising", "Helping"]
    bands = [(4, 5, "Strong"), (3, "3.99", "Growing"), (1, "2.99", "Starting")]
    per_section = size // 4
    return build_instrument(
        slug=f"pulse-{size}",
        title=f"Pulse {size}",
        scale=AGREEMENT,
        dimensions=[dimension(name, bands=bands) for name in names],
        sections=[
            (
                name,
                [
                    (f"{name} question {number}.", name, number % 3 == 0)
                    for number in range(1, per_section + 1)
                ],
            )
            for name in names
        ],
    )


def keys_of(instrument: Instrument) -> list[str]:
    """The question keys of the instrument's live version, in the order learners see them."""
    return [question.key for question in instrument.questionnaire().questions]


def answers(instrument: Instrument, value: int | Callable[[int, str], int]) -> dict[str, int]:
    """An answer for every question: one value for all, or value(index, key)."""
    return {
        key: value(index, key) if callable(value) else value
        for index, key in enumerate(keys_of(instrument))
    }


def submit(learner, instrument: Instrument, value=3, *, team: Team | None = None) -> Response:
    response = services.response_start(learner=learner, instrument=instrument, team=team)
    return services.response_submit(response=response, answers=answers(instrument, value))
