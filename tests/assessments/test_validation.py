"""Instrument validation at model level: `Instrument.full_clean()` and `scoring.problems()`
refuse definitions that cannot be scored, with a message that says what to fix."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from assessments import scoring
from assessments.models import Instrument

from .factories import AGREEMENT, USUALLY, build_instrument, dimension

pytestmark = pytest.mark.django_db

THREE_QUESTIONS = [
    (
        "Only",
        [
            ("We trust each other.", "Trust"),
            ("We admit our mistakes.", "Trust"),
            ("We hide our weaknesses.", "Trust", True),
        ],
    )
]


def errors_of(**spec) -> dict[str, list[str]]:
    """The validation errors of an instrument built from `spec`, which must be refused."""
    spec.setdefault("sections", THREE_QUESTIONS)
    with pytest.raises(ValidationError) as refused:
        build_instrument(**spec)
    assert not Instrument.objects.exists()  # nothing was saved
    return refused.value.message_dict


def problems_of(**spec) -> list[str]:
    """`scoring.problems()` for the same spec, through an unsaved instrument."""
    spec.setdefault("sections", THREE_QUESTIONS)
    instrument = Instrument(
        title="Check",
        slug="check",
        scale=[("option", {"label": label, "value": value}) for label, value in spec["scale"]],
        dimensions=[("dimension", d) for d in spec["dimensions"]],
        items=[
            ("item", {"text": text, "dimension": name, "reverse": bool(rest and rest[0])})
            for _heading, questions in spec["sections"]
            for text, name, *rest in questions
        ],
    )
    return [problem.message for problem in scoring.problems(instrument.questionnaire().definition)]


def test_overlapping_bands_are_refused():
    spec = {
        "scale": USUALLY,
        "dimensions": [dimension("Trust", rule="sum", bands=[(3, 6, "Low"), (6, 9, "High")])],
    }
    message = "Trust: the bands “Low” (3 to 6) and “High” (6 to 9) overlap."
    assert errors_of(**spec)["dimensions"] == [message]
    assert problems_of(**spec) == [message]


def test_a_gap_holding_a_possible_score_is_refused():
    # Summed over three questions scored 1 to 3: every whole number from 3 to 9.
    spec = {
        "scale": USUALLY,
        "dimensions": [dimension("Trust", rule="sum", bands=[(3, 5, "Low"), (7, 9, "High")])],
    }
    message = "Trust: a score of 6 falls in no band. Every score from 3 to 9 needs a band."
    assert errors_of(**spec)["dimensions"] == [message]
    assert problems_of(**spec) == [message]


def test_a_dimension_with_no_questions_is_refused():
    spec = {"scale": USUALLY, "dimensions": [dimension("Trust"), dimension("Curiosity")]}
    message = "Curiosity: no question belongs to this dimension."
    assert errors_of(**spec)["dimensions"] == [message]
    assert problems_of(**spec) == [message]


def test_a_question_naming_an_unknown_dimension_is_refused():
    sections = [("Only", [("We trust each other.", "Trust"), ("We share data.", "Data")])]
    spec = {"scale": USUALLY, "dimensions": [dimension("Trust")], "sections": sections}
    assert errors_of(**spec)["items"] == [
        "Question 2 names the dimension “Data”, which is not one of this instrument's dimensions."
    ]
    # The questionnaire links a question to no dimension when the name matches none.
    assert problems_of(**spec) == ["Question 2 needs a dimension."]


def test_a_question_without_a_dimension_is_refused():
    definition = scoring.Definition(
        scale=tuple(scoring.ScaleOption(label, value) for label, value in USUALLY),
        dimensions=(scoring.Dimension(key="t", name="Trust"),),
        items=(scoring.Item(key="a", dimension_key="t"), scoring.Item(key="b", dimension_key="")),
    )
    assert [p.message for p in scoring.problems(definition)] == ["Question 2 needs a dimension."]
    # In the admin the dimension is a required field of every question.
    sections = [("Only", [("We trust each other.", "Trust"), ("We share data.", "")])]
    errors = errors_of(scale=USUALLY, dimensions=[dimension("Trust")], sections=sections)
    assert "items" in errors


def test_a_scale_with_one_option_is_refused():
    spec = {"scale": [("Yes", 1)], "dimensions": [dimension("Trust")]}
    assert "The answer scale needs at least two options." in errors_of(**spec)["scale"]
    assert problems_of(**spec) == ["The answer scale needs at least two options."]


def test_a_band_running_backwards_is_refused():
    spec = {
        "scale": USUALLY,
        "dimensions": [dimension("Trust", rule="sum", bands=[(3, 9, "All"), (8, 5, "Odd")])],
    }
    errors = errors_of(**spec)
    assert "dimensions" in errors
    assert problems_of(**spec) == [
        "Trust: the band “Odd” starts at 8, above where it ends (5).",
    ]


# Bands and the scores that can actually occur --------------------------------------------------

RESCALED_BANDS = [(0, "4.9", "Low"), ("5.0", "7.4", "Middle"), ("7.5", 10, "High")]


def test_bands_leaving_a_gap_only_between_possible_scores_are_accepted():
    # Mean of three questions scored 1 to 3, rescaled to 0-10: means 3/3 .. 9/3, that is
    # 1, 4/3, 5/3, 2, 7/3, 8/3, 3, rescaled by (mean - 1) / 2 x 10 to
    # 0, 1.67, 3.33, 5, 6.67, 8.33, 10. None lies between 4.9 and 5.0 or between 7.4 and 7.5.
    spec = {
        "scale": USUALLY,
        "dimensions": [dimension("Trust", rule="mean", scaled=(0, 10), bands=RESCALED_BANDS)],
        "sections": THREE_QUESTIONS,
    }
    assert problems_of(**spec) == []
    instrument = build_instrument(**spec)  # full_clean passes
    trust = instrument.questionnaire().definition.dimensions[0]
    assert scoring.possible_scores(instrument.questionnaire().definition, trust) == [
        Fraction(0),
        Fraction(5, 3),
        Fraction(10, 3),
        Fraction(5),
        Fraction(20, 3),
        Fraction(25, 3),
        Fraction(10),
    ]


def test_the_same_bands_are_refused_when_a_possible_score_falls_in_the_gap():
    # On the five-point agreement scale, the mean of three questions rescaled to 0-10 moves
    # in steps of 10/12 = 0.83: 0, 0.83, ..., 4.17, 5, 5.83, ..., 10. A score of 5 can occur,
    # so a gap from 4.9 to 5.1 is refused, naming it.
    spec = {
        "scale": AGREEMENT,
        "dimensions": [
            dimension(
                "Trust",
                rule="mean",
                scaled=(0, 10),
                bands=[(0, "4.9", "Low"), ("5.1", 10, "High")],
            )
        ],
    }
    message = "Trust: a score of 5 falls in no band. Every score from 0 to 10 needs a band."
    assert errors_of(**spec)["dimensions"] == [message]
    assert problems_of(**spec) == [message]


def test_a_band_no_score_can_reach_is_refused():
    # Possible scores 0, 1.67, 3.33, 5, 6.67, 8.33, 10: none between 5.5 and 6.5.
    bands = [
        (0, "4.9", "Low"),
        (5, "5.4", "Fair"),
        ("5.5", "6.5", "Unreachable"),
        ("6.6", 10, "High"),
    ]
    spec = {
        "scale": USUALLY,
        "dimensions": [dimension("Trust", rule="mean", scaled=(0, 10), bands=bands)],
    }
    message = (
        "Trust: no possible score falls in the band “Unreachable” (5.5 to 6.5); "
        "scores run from 0 to 10."
    )
    assert errors_of(**spec)["dimensions"] == [message]
    assert problems_of(**spec) == [message]


def test_a_valid_instrument_passes_full_clean_and_is_saved():
    instrument = build_instrument(
        scale=USUALLY,
        dimensions=[dimension("Trust", rule="sum", bands=[(3, 5, "Low"), (6, 9, "High")])],
        sections=THREE_QUESTIONS,
    )
    assert instrument.live
    assert (
        problems_of(
            scale=USUALLY,
            dimensions=[dimension("Trust", rule="sum", bands=[(3, 5, "Low"), (6, 9, "High")])],
        )
        == []
    )
