"""The five shipped instruments, scored by hand at every band edge.

Each instrument is read from its file in `assessments/demo_content/` in two ways: straight
from the TOML by the small `from_toml` below, and through the loader that seeding uses
(`assessments.demo_content.load_instruments`, then the instrument's own `questionnaire()`).
Both give a `scoring.Definition`; keys are renamed by position (dimensions keep the file's
`key`, questions become q1, q2, ... in the order learners see them) so that every example
below runs against both and must give the same result. No database is used.

In the examples, each dimension's answers are listed in the order its questions appear;
every other question is answered with the scale's lowest value, which cannot affect the
dimension being checked.
"""

import dataclasses
import tomllib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from assessments import scoring
from assessments.demo_content import load_instruments
from assessments.models import Instrument

CONTENT = Path(scoring.__file__).resolve().parent / "demo_content"

TEAM_DYSFUNCTIONS = "team-dysfunctions-check"
STRENGTHS = "strengths-self-profile"
COMPASSIONATE = "compassionate-leadership-and-core-needs"
SAFETY = "team-psychological-safety"
PARTNERSHIP = "partnership-health-check"
SHIPPED = [TEAM_DYSFUNCTIONS, STRENGTHS, COMPASSIONATE, SAFETY, PARTNERSHIP]


# Reading the instruments ------------------------------------------------------------------


def read(slug: str) -> dict:
    (path,) = CONTENT.glob(f"*-{slug}.toml")
    with path.open("rb") as handle:
        return tomllib.load(handle)


def exact(number: int | float) -> int | Decimal:
    """A bound as the editor wrote it: TOML reads 7.4 as a float, so go through its text."""
    return Decimal(str(number)) if isinstance(number, float) else number


def from_toml(slug: str) -> scoring.Definition:
    raw = read(slug)
    dimensions = tuple(
        scoring.Dimension(
            key=dimension["key"],
            name=dimension["name"],
            rule=dimension["scoring"],
            scaled_range=(
                (exact(dimension["scaled_min"]), exact(dimension["scaled_max"]))
                if "scaled_min" in dimension
                else None
            ),
            bands=tuple(
                scoring.Band(
                    lower=exact(band["lower"]), upper=exact(band["upper"]), label=band["label"]
                )
                for band in dimension.get("bands", [])
            ),
        )
        for dimension in raw["dimensions"]
    )
    composites = tuple(
        scoring.Composite(
            key=composite["key"],
            name=composite["name"],
            parts=tuple(composite["dimensions"]),
            rule=composite["scoring"],
            bands=tuple(
                scoring.Band(
                    lower=exact(band["lower"]), upper=exact(band["upper"]), label=band["label"]
                )
                for band in composite.get("bands", [])
            ),
        )
        for composite in raw.get("composites", [])
    )
    questions = [item for section in raw["sections"] for item in section["items"]]
    return scoring.Definition(
        scale=tuple(
            scoring.ScaleOption(option["label"], option["value"]) for option in raw["scale"]
        ),
        dimensions=dimensions,
        items=tuple(
            scoring.Item(key=f"q{number}", dimension_key=item["dimension"], reverse=item["reverse"])
            for number, item in enumerate(questions, start=1)
        ),
        composites=composites,
    )


def from_loader(slug: str) -> scoring.Definition:
    """The definition seeding stores, with its block ids renamed by position."""
    (spec,) = [spec for spec in load_instruments() if spec.slug == slug]
    definition = Instrument(**spec.fields).questionnaire().definition
    raw = read(slug)
    keys = {
        dimension.key: toml["key"]
        for dimension, toml in zip(definition.dimensions, raw["dimensions"], strict=True)
    }
    composite_keys = {
        composite.key: toml["key"]
        for composite, toml in zip(definition.composites, raw.get("composites", []), strict=True)
    }
    return dataclasses.replace(
        definition,
        dimensions=tuple(
            dataclasses.replace(dimension, key=keys[dimension.key])
            for dimension in definition.dimensions
        ),
        items=tuple(
            dataclasses.replace(item, key=f"q{number}", dimension_key=keys[item.dimension_key])
            for number, item in enumerate(definition.items, start=1)
        ),
        composites=tuple(
            dataclasses.replace(
                composite,
                key=composite_keys[composite.key],
                parts=tuple(keys[part] for part in composite.parts),
            )
            for composite in definition.composites
        ),
    )


@pytest.fixture(params=[from_toml, from_loader], ids=["toml", "loader"])
def load(request):
    return request.param


def sheet(definition: scoring.Definition, answers: dict[str, tuple], rest: int | None = None):
    """Answers for every question: `answers[dimension key]` in question order, and `rest`
    (the lowest value unless given) for every other question."""
    pending = {key: list(values) for key, values in answers.items()}
    filler = definition.lowest if rest is None else rest
    sheet = {}
    for item in definition.items:
        own = pending.get(item.dimension_key)
        sheet[item.key] = own.pop(0) if own else filler
    assert all(not values for values in pending.values()), "too many answers for a dimension"
    return sheet


def scored(definition: scoring.Definition, key: str, values: tuple) -> scoring.DimensionResult:
    (result,) = [
        result
        for result in scoring.score(definition, sheet(definition, {key: values})).dimensions
        if result.key == key
    ]
    return result


def check(result: scoring.DimensionResult, score, label: str | None) -> None:
    assert result.scaled == score
    assert (result.band.label if result.band else None) == label


# Every shipped definition -----------------------------------------------------------------


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_shipped_instrument_is_valid(load, slug):
    assert scoring.problems(load(slug)) == []


@pytest.mark.parametrize("slug", SHIPPED)
def test_the_loader_reads_what_the_files_say(slug):
    assert from_loader(slug) == from_toml(slug)


# Team dysfunctions check: sum of three answers, Usually 3, Sometimes 2, Rarely 1 --------

USUALLY, SOMETIMES, RARELY = 3, 2, 1

TEAM_DYSFUNCTIONS_EDGES = [
    pytest.param((USUALLY, USUALLY, USUALLY), 9, "Probably a strength", id="9-top"),
    pytest.param((USUALLY, USUALLY, SOMETIMES), 8, "Probably a strength", id="8"),
    pytest.param((USUALLY, SOMETIMES, SOMETIMES), 7, "Could be a problem", id="7"),
    pytest.param((SOMETIMES, SOMETIMES, SOMETIMES), 6, "Could be a problem", id="6"),
    pytest.param((USUALLY, SOMETIMES, RARELY), 6, "Could be a problem", id="6-mixed"),
    pytest.param((SOMETIMES, SOMETIMES, RARELY), 5, "Needs attention", id="5"),
    pytest.param((RARELY, RARELY, RARELY), 3, "Needs attention", id="3-bottom"),
]


def test_team_dysfunctions_answer_labels(load):
    scale = {option.label: option.value for option in load(TEAM_DYSFUNCTIONS).scale}

    assert scale == {"Usually": USUALLY, "Sometimes": SOMETIMES, "Rarely": RARELY}


@pytest.mark.parametrize("key", ["trust", "conflict", "commitment", "accountability", "results"])
@pytest.mark.parametrize(("answers", "score", "label"), TEAM_DYSFUNCTIONS_EDGES)
def test_team_dysfunctions_band_edges(load, key, answers, score, label):
    # e.g. Usually + Usually + Sometimes = 3 + 3 + 2 = 8: "Probably a strength" (8-9).
    result = scored(load(TEAM_DYSFUNCTIONS), key, answers)

    check(result, score, label)
    assert result.raw == score
    assert (result.minimum, result.maximum) == (3, 9)


# Strengths self-profile: mean of three answers on 1-5, third question reversed in some
# dimensions (6 - x), no bands, ranked -----------------------------------------------------

STRENGTHS_REVERSED = ["steadiness", "recovery", "voice", "connector", "curiosity"]
STRENGTHS_REVERSED += ["perspective", "organising", "persistence"]
STRENGTHS_PLAIN = ["warmth", "nurturing", "ideas", "initiative"]


@pytest.mark.parametrize("key", STRENGTHS_REVERSED)
@pytest.mark.parametrize(
    ("answers", "score"),
    [
        pytest.param((5, 5, 1), 5, id="top"),  # 5 + 5 + (6 - 1) = 15; 15 / 3 = 5
        pytest.param((4, 3, 2), Fraction(11, 3), id="reversed-2"),  # 4 + 3 + 4 = 11
        pytest.param((5, 5, 5), Fraction(11, 3), id="agrees-with-all"),  # 5 + 5 + 1 = 11
        pytest.param((3, 3, 3), 3, id="middle"),  # 3 + 3 + 3 = 9
        pytest.param((1, 1, 5), 1, id="bottom"),  # 1 + 1 + (6 - 5) = 3; 3 / 3 = 1
    ],
)
def test_strengths_with_a_reversed_question(load, key, answers, score):
    result = scored(load(STRENGTHS), key, answers)

    check(result, score, None)
    assert result.band_index is None
    assert (result.minimum, result.maximum) == (1, 5)


@pytest.mark.parametrize("key", STRENGTHS_PLAIN)
@pytest.mark.parametrize(
    ("answers", "score"),
    [
        pytest.param((5, 5, 5), 5, id="top"),
        pytest.param((4, 3, 2), 3, id="mixed"),  # 4 + 3 + 2 = 9; 9 / 3 = 3
        pytest.param((5, 4, 4), Fraction(13, 3), id="thirteen-thirds"),  # 13 / 3 = 4.33
        pytest.param((1, 1, 1), 1, id="bottom"),
    ],
)
def test_strengths_without_a_reversed_question(load, key, answers, score):
    check(scored(load(STRENGTHS), key, answers), score, None)


def test_strengths_top_five_in_order(load):
    definition = load(STRENGTHS)
    answers = sheet(
        definition,
        {
            "ideas": (5, 5, 5),  # 15 / 3 = 5
            "initiative": (5, 4, 4),  # 13 / 3 = 4.33
            "warmth": (4, 4, 4),  # 12 / 3 = 4
            "curiosity": (4, 4, 2),  # 4 + 4 + (6 - 2) = 12; 12 / 3 = 4, ties with warmth
            "nurturing": (4, 4, 3),  # 11 / 3 = 3.67
            "organising": (5, 5, 5),  # 5 + 5 + (6 - 5) = 11; 11 / 3 = 3.67, after nurturing
        },
        rest=3,  # every other strength: 3 + 3 + 3 = 9; 9 / 3 = 3
    )

    result = scoring.score(definition, answers)

    # Ties keep the editor's order: warmth is listed before curiosity, nurturing before
    # organising.
    assert [dimension.key for dimension in result.ranked(5)] == [
        "ideas",
        "initiative",
        "warmth",
        "curiosity",
        "nurturing",
    ]
    assert [dimension.key for dimension in result.ranked()][5] == "organising"


def test_strengths_all_the_same_ranks_in_the_editors_order(load):
    definition = load(STRENGTHS)

    result = scoring.score(definition, sheet(definition, {}, rest=3))

    assert [dimension.key for dimension in result.ranked(5)] == [
        "steadiness",
        "recovery",
        "voice",
        "warmth",
        "connector",
    ]


# Compassionate leadership and core needs: mean of three answers on 1-5, rescaled to 0-10
# as (mean - 1) / 4 x 10; bands 7.5-10 Strong, 5.0-7.4 Mixed, 0-4.9 A priority ------------

COMPASSIONATE_REVERSED = ["attending", "autonomy", "belonging"]  # the third question
COMPASSIONATE_PLAIN = ["understanding", "empathising", "helping", "contribution"]


COMPASSIONATE_EDGES = [
    pytest.param((5, 5, 5), 10, "Strong", id="10-top"),  # mean 5: 4 / 4 x 10
    pytest.param((4, 4, 4), Fraction(15, 2), "Strong", id="7.5"),  # mean 4: 3 / 4 x 10
    # mean 11/3: (8/3) / 4 x 10 = 20/3 = 6.67
    pytest.param((4, 4, 3), Fraction(20, 3), "Mixed", id="6.67"),
    pytest.param((3, 3, 3), 5, "Mixed", id="5.0"),  # mean 3: 2 / 4 x 10
    # mean 8/3: (5/3) / 4 x 10 = 25/6 = 4.17
    pytest.param((3, 3, 2), Fraction(25, 6), "A priority", id="4.17"),
    pytest.param((1, 1, 1), 0, "A priority", id="0-bottom"),  # mean 1: 0 / 4 x 10
]


@pytest.mark.parametrize("key", COMPASSIONATE_PLAIN)
@pytest.mark.parametrize(("answers", "score", "label"), COMPASSIONATE_EDGES)
def test_compassionate_leadership_band_edges(load, key, answers, score, label):
    result = scored(load(COMPASSIONATE), key, answers)

    check(result, score, label)
    assert (result.minimum, result.maximum) == (0, 10)


@pytest.mark.parametrize("key", COMPASSIONATE_REVERSED)
@pytest.mark.parametrize(
    ("answers", "mean", "score", "label"),
    [
        pytest.param((5, 5, 1), 5, 10, "Strong", id="10-top"),  # 5 + 5 + (6 - 1) = 15
        pytest.param((4, 4, 2), 4, Fraction(15, 2), "Strong", id="7.5"),  # 4 + 4 + 4 = 12
        pytest.param((4, 4, 3), Fraction(11, 3), Fraction(20, 3), "Mixed", id="6.67"),
        pytest.param((5, 5, 5), Fraction(11, 3), Fraction(20, 3), "Mixed", id="agrees-with-all"),
        pytest.param((3, 3, 3), 3, 5, "Mixed", id="5.0"),  # 3 + 3 + 3 = 9
        pytest.param((3, 3, 4), Fraction(8, 3), Fraction(25, 6), "A priority", id="4.17"),
        pytest.param((1, 1, 5), 1, 0, "A priority", id="0-bottom"),  # 1 + 1 + (6 - 5) = 3
    ],
)
def test_compassionate_leadership_band_edges_with_a_reversed_question(
    load, key, answers, mean, score, label
):
    result = scored(load(COMPASSIONATE), key, answers)

    assert result.raw == mean
    check(result, score, label)


def test_compassionate_leadership_scores_as_people_read_them(load):
    definition = load(COMPASSIONATE)

    shown = [
        scoring.format_number(scored(definition, "helping", answers).scaled)
        for answers in [(4, 4, 4), (4, 4, 3), (3, 3, 3), (3, 3, 2)]
    ]

    assert shown == ["7.5", "about 6.67", "5", "about 4.17"]


# Team psychological safety: mean of seven answers on 1-5, questions 2, 4 and 6 reversed
# (6 - x); bands 4.0-5 High, 3.0-3.9 Moderate, 1-2.9 Low --------------------------------

SAFETY_EDGES = [
    pytest.param((5, 1, 5, 1, 5, 1, 5), 5, "High", id="5-top"),  # 7 x 5 = 35; 35 / 7
    pytest.param((4, 2, 4, 2, 4, 2, 4), 4, "High", id="4.0"),  # 7 x 4 = 28; 28 / 7
    # 4 + 4 + 4 + 4 + 4 + 4 + 3 = 27; 27 / 7 = 3.86, the highest score below 3.9
    pytest.param((4, 2, 4, 2, 4, 2, 3), Fraction(27, 7), "Moderate", id="3.86"),
    # 5 + 1 + 5 + 1 + 5 + 1 + 5 = 23; 23 / 7 = 3.29
    pytest.param((5, 5, 5, 5, 5, 5, 5), Fraction(23, 7), "Moderate", id="agrees-with-all"),
    pytest.param((3, 3, 3, 3, 3, 3, 3), 3, "Moderate", id="3.0"),  # 21 / 7
    # 3 + 3 + 3 + (6 - 4) + 3 + 3 + 3 = 20; 20 / 7 = 2.86, the highest score below 2.9
    pytest.param((3, 3, 3, 4, 3, 3, 3), Fraction(20, 7), "Low", id="2.86"),
    pytest.param((1, 5, 1, 5, 1, 5, 1), 1, "Low", id="1-bottom"),  # 7 x 1 = 7; 7 / 7
]


@pytest.mark.parametrize(("answers", "score", "label"), SAFETY_EDGES)
def test_psychological_safety_band_edges(load, answers, score, label):
    result = scored(load(SAFETY), "safety", answers)

    check(result, score, label)
    assert (result.minimum, result.maximum) == (1, 5)


# Partnership health check: sum of four answers on 1-4 (no midpoint), the fourth question
# reversed (5 - x) in three dimensions; bands 13-16 Strong, 9-12 Developing, 4-8 A concern -

PARTNERSHIP_REVERSED = ["need", "commitment", "arrangements"]
PARTNERSHIP_PLAIN = ["purpose", "trust", "learning"]


@pytest.mark.parametrize("key", PARTNERSHIP_REVERSED)
@pytest.mark.parametrize(
    ("answers", "score", "label"),
    [
        pytest.param((4, 4, 4, 1), 16, "Strong", id="16-top"),  # 4 + 4 + 4 + (5 - 1)
        pytest.param((4, 3, 3, 2), 13, "Strong", id="13"),  # 4 + 3 + 3 + 3
        pytest.param((4, 4, 4, 4), 13, "Strong", id="agrees-with-all"),  # 4 + 4 + 4 + 1
        pytest.param((3, 3, 3, 2), 12, "Developing", id="12"),  # 3 + 3 + 3 + 3
        pytest.param((3, 2, 2, 3), 9, "Developing", id="9"),  # 3 + 2 + 2 + 2
        pytest.param((2, 2, 2, 3), 8, "A concern", id="8"),  # 2 + 2 + 2 + 2
        pytest.param((1, 1, 1, 4), 4, "A concern", id="4-bottom"),  # 1 + 1 + 1 + (5 - 4)
    ],
)
def test_partnership_band_edges_with_a_reversed_question(load, key, answers, score, label):
    result = scored(load(PARTNERSHIP), key, answers)

    check(result, score, label)
    assert (result.minimum, result.maximum) == (4, 16)


PARTNERSHIP_EDGES = [
    pytest.param((4, 4, 4, 4), 16, "Strong", id="16-top"),
    pytest.param((4, 3, 3, 3), 13, "Strong", id="13"),
    pytest.param((3, 3, 3, 3), 12, "Developing", id="12"),
    pytest.param((3, 2, 2, 2), 9, "Developing", id="9"),
    pytest.param((2, 2, 2, 2), 8, "A concern", id="8"),
    pytest.param((1, 1, 1, 1), 4, "A concern", id="4-bottom"),
]


@pytest.mark.parametrize("key", PARTNERSHIP_PLAIN)
@pytest.mark.parametrize(("answers", "score", "label"), PARTNERSHIP_EDGES)
def test_partnership_band_edges(load, key, answers, score, label):
    check(scored(load(PARTNERSHIP), key, answers), score, label)


# The examples above reach every edge ------------------------------------------------------


def worked_scores(cases) -> set[Fraction]:
    """The scores a table of examples above states (each example is answers, score, label)."""
    return {Fraction(case.values[1]) for case in cases}


HAND_WORKED = {
    TEAM_DYSFUNCTIONS: worked_scores(TEAM_DYSFUNCTIONS_EDGES),
    COMPASSIONATE: worked_scores(COMPASSIONATE_EDGES),
    SAFETY: worked_scores(SAFETY_EDGES),
    PARTNERSHIP: worked_scores(PARTNERSHIP_EDGES),
}


@pytest.mark.parametrize("slug", list(HAND_WORKED))
def test_the_examples_reach_the_lowest_and_highest_possible_score_of_every_band(slug):
    definition = from_toml(slug)
    for dimension in definition.dimensions:
        possible = scoring.possible_scores(definition, dimension)
        for band in dimension.bands:
            inside = [value for value in possible if band.contains(value)]
            assert {inside[0], inside[-1]} <= HAND_WORKED[slug], (dimension.key, band.label)
