"""Pure scoring: hand-worked examples, validation, properties of any valid definition, and
the statistics editors see. No database: every test builds plain `scoring` objects."""

import dataclasses
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments import scoring
from assessments.scoring import Band, Definition, Dimension, Item, ScaleOption

AGREEMENT = tuple(ScaleOption(f"Option {value}", value) for value in (1, 2, 3, 4, 5))
USUALLY = (ScaleOption("Usually", 3), ScaleOption("Sometimes", 2), ScaleOption("Rarely", 1))
THREE_BANDS = (
    Band(8, 9, "Probably a strength"),
    Band(6, 7, "Could be a problem"),
    Band(3, 5, "Needs attention"),
)


def definition(
    *,
    scale=AGREEMENT,
    dimensions=None,
    items=None,
    rule=scoring.SUM,
    scaled_range=None,
    bands=(),
    reverse=(),
    count=3,
) -> Definition:
    """One dimension "d" of `count` items "i1".. unless dimensions and items are given."""
    if dimensions is None:
        dimensions = (
            Dimension(key="d", name="Trust", rule=rule, scaled_range=scaled_range, bands=bands),
        )
    if items is None:
        items = tuple(
            Item(key=f"i{number}", dimension_key="d", reverse=number in reverse)
            for number in range(1, count + 1)
        )
    return Definition(scale=tuple(scale), dimensions=tuple(dimensions), items=tuple(items))


def answered(*values: int) -> dict[str, int]:
    return {f"i{number}": value for number, value in enumerate(values, start=1)}


def only(result: scoring.Result) -> scoring.DimensionResult:
    (dimension,) = result.dimensions
    return dimension


def messages(found: list[scoring.Problem]) -> list[str]:
    return [problem.message for problem in found]


# Hand-worked scores -----------------------------------------------------------------------


def test_sum_adds_the_values_of_a_dimensions_items():
    result = only(scoring.score(definition(), answered(2, 4, 5)))

    # 2 + 4 + 5 = 11, on a range of 3 x 1 = 3 to 3 x 5 = 15.
    assert result.raw == result.scaled == 11
    assert (result.minimum, result.maximum) == (3, 15)
    assert result.proportion == Fraction(11 - 3, 15 - 3)  # 8/12 = 2/3
    assert result.key == "d"
    assert result.name == "Trust"


def test_mean_divides_the_sum_by_the_number_of_items_exactly():
    result = only(scoring.score(definition(rule=scoring.MEAN), answered(2, 4, 5)))

    # (2 + 4 + 5) / 3 = 11/3, kept as a fraction (not 3.6666...), on a range of 1 to 5.
    assert result.raw == result.scaled == Fraction(11, 3)
    assert (result.minimum, result.maximum) == (1, 5)


def test_a_reverse_keyed_item_counts_lowest_plus_highest_minus_the_answer():
    result = only(scoring.score(definition(reverse={3}), answered(2, 4, 5)))

    # The third answer, 5, counts as 1 + 5 - 5 = 1: 2 + 4 + 1 = 7.
    assert result.raw == 7


@pytest.mark.parametrize(("value", "counts_as"), [(0, 5), (1, 4), (5, 0)])
def test_reverse_keying_mirrors_on_an_asymmetric_scale(value, counts_as):
    scale = (ScaleOption("Never", 0), ScaleOption("Once", 1), ScaleOption("Always", 5))
    reversed_item = Item(key="i1", dimension_key="d", reverse=True)
    plain_item = Item(key="i2", dimension_key="d")
    instrument = definition(scale=scale, items=(reversed_item, plain_item))

    # lowest + highest - value = 0 + 5 - value, even where that is not on the scale (4).
    assert scoring.keyed_value(instrument, reversed_item, value) == counts_as
    assert scoring.keyed_value(instrument, plain_item, value) == value
    result = only(scoring.score(instrument, {"i1": value, "i2": 1}))
    assert result.raw == counts_as + 1
    assert (result.minimum, result.maximum) == (0, 10)


def test_possible_scores_on_an_asymmetric_scale_include_mirrored_values():
    scale = (ScaleOption("Never", 0), ScaleOption("Once", 1), ScaleOption("Always", 5))
    instrument = definition(
        scale=scale,
        items=(Item(key="i1", dimension_key="d", reverse=True), Item(key="i2", dimension_key="d")),
    )

    # The reversed item gives 5, 4 or 0; the plain one 0, 1 or 5.
    assert scoring.possible_scores(instrument, instrument.dimensions[0]) == [
        0, 1, 4, 5, 6, 9, 10,
    ]  # fmt: skip


def test_a_mean_rescaled_onto_nought_to_ten():
    instrument = definition(rule=scoring.MEAN, scaled_range=(0, 10))

    result = only(scoring.score(instrument, answered(4, 4, 4)))

    # Mean 4 on 1 to 5: (4 - 1) / (5 - 1) x 10 = 7.5.
    assert result.raw == 4
    assert result.scaled == Fraction(15, 2)
    assert (result.minimum, result.maximum) == (0, 10)
    assert result.proportion == Fraction(3, 4)


def test_a_sum_rescaled_onto_a_decimal_range():
    instrument = definition(
        scale=USUALLY, scaled_range=(Decimal("-1.5"), Decimal("1.5")), reverse={2}
    )

    result = only(scoring.score(instrument, answered(3, 3, 2)))

    # 3 + (1 + 3 - 3 = 1) + 2 = 6 on 3 to 9: -1.5 + (6 - 3) / (9 - 3) x 3 = 0.
    assert result.raw == 6
    assert result.scaled == 0
    assert (result.minimum, result.maximum) == (Fraction(-3, 2), Fraction(3, 2))


@pytest.mark.parametrize(
    ("values", "total", "label", "index"),
    [
        ((1, 1, 1), 3, "Needs attention", 2),  # lower edge of the lowest band
        ((1, 2, 2), 5, "Needs attention", 2),  # upper edge
        ((2, 2, 2), 6, "Could be a problem", 1),  # lower edge
        ((3, 2, 2), 7, "Could be a problem", 1),  # upper edge
        ((3, 3, 2), 8, "Probably a strength", 0),  # lower edge
        ((3, 3, 3), 9, "Probably a strength", 0),  # upper edge of the highest band
    ],
)
def test_band_bounds_are_inclusive_at_both_edges(values, total, label, index):
    result = only(scoring.score(definition(scale=USUALLY, bands=THREE_BANDS), answered(*values)))

    assert result.scaled == total
    assert result.band is not None
    assert result.band.label == label
    assert result.band_index == index  # the band's place in the editor's list


def test_decimal_band_edges_are_exact():
    bands = (Band(Decimal("7.5"), 10, "Strong"), Band(Decimal("5.0"), Decimal("7.4"), "Mixed"))
    bands += (Band(0, Decimal("4.9"), "A priority"),)
    instrument = definition(rule=scoring.MEAN, scaled_range=(0, 10), bands=bands)

    # Means 4, 11/3, 3 and 8/3 rescale to 7.5, 6.67, 5 and 4.17.
    assert only(scoring.score(instrument, answered(4, 4, 4))).band.label == "Strong"
    assert only(scoring.score(instrument, answered(4, 4, 3))).band.label == "Mixed"
    assert only(scoring.score(instrument, answered(3, 3, 3))).band.label == "Mixed"
    assert only(scoring.score(instrument, answered(3, 3, 2))).band.label == "A priority"


def test_a_dimension_without_bands_has_no_band():
    result = only(scoring.score(definition(), answered(5, 5, 5)))

    assert result.band is None
    assert result.band_index is None


def test_band_for_outside_every_band_is_none():
    dimension = Dimension(key="d", name="Trust", bands=THREE_BANDS)

    assert scoring.band_for(dimension, Fraction(10)) is None
    assert scoring.band_for(dimension, Fraction(11, 2)) is None  # between 5 and 6
    assert scoring.band_for(dimension, Fraction(6)) == (1, THREE_BANDS[1])


def test_each_dimension_scores_only_its_own_items():
    dimensions = (
        Dimension(key="a", name="Trust"),
        Dimension(key="b", name="Conflict", rule=scoring.MEAN),
    )
    items = (
        Item(key="x", dimension_key="a"),
        Item(key="y", dimension_key="b"),
        Item(key="z", dimension_key="a", reverse=True),
        Item(key="w", dimension_key="b"),
    )
    instrument = definition(dimensions=dimensions, items=items)

    result = scoring.score(instrument, {"x": 5, "y": 2, "z": 5, "w": 5})

    # Trust: 5 + (6 - 5) = 6 on 2 to 10; Conflict: (2 + 5) / 2 = 3.5 on 1 to 5.
    trust, conflict = result.dimensions
    assert (trust.key, trust.raw, trust.minimum, trust.maximum) == ("a", 6, 2, 10)
    assert (conflict.key, conflict.raw, conflict.minimum, conflict.maximum) == (
        "b",
        Fraction(7, 2),
        1,
        5,
    )


def ranked_instrument() -> Definition:
    """Four single-item dimensions on 1 to 5; the second is summed and rescaled to 0-100."""
    dimensions = (
        Dimension(key="a", name="A"),
        Dimension(key="b", name="B", scaled_range=(0, 100)),
        Dimension(key="c", name="C"),
        Dimension(key="d", name="D"),
    )
    items = tuple(Item(key=key, dimension_key=key) for key in "abcd")
    return definition(dimensions=dimensions, items=items)


def test_ranked_orders_dimensions_by_how_far_up_their_range_they_are():
    result = scoring.score(ranked_instrument(), {"a": 2, "b": 5, "c": 4, "d": 1})

    # Proportions: a (2-1)/4 = 1/4, b 100/100 = 1, c 3/4, d 0.
    assert [dimension.key for dimension in result.ranked()] == ["b", "c", "a", "d"]
    assert [dimension.key for dimension in result.ranked(limit=2)] == ["b", "c"]
    assert result.ranked(limit=10) == result.ranked()


def test_ranked_ties_keep_the_editors_order():
    result = scoring.score(ranked_instrument(), {"a": 3, "b": 5, "c": 3, "d": 3})

    # b is highest; a, c and d all sit half way (2/4) and stay in the order given.
    assert [dimension.key for dimension in result.ranked()] == ["b", "a", "c", "d"]
    tied = scoring.score(ranked_instrument(), {"a": 4, "b": 4, "c": 4, "d": 4})
    assert [dimension.key for dimension in tied.ranked()] == ["a", "b", "c", "d"]


# Answers that cannot be scored ------------------------------------------------------------


def test_check_answers_accepts_one_scale_value_per_item():
    scoring.check_answers(definition(), answered(1, 3, 5))


def test_answers_for_unknown_items_are_refused_naming_them():
    with pytest.raises(scoring.ScoringError) as raised:
        scoring.score(definition(), {**answered(1, 2, 3), "elsewhere": 2, "i9": 1})

    assert raised.value.item_keys == ("elsewhere", "i9")
    assert "not in this instrument" in str(raised.value)


@pytest.mark.parametrize("value", [0, 6, -1, 100])
def test_answers_off_the_scale_are_refused_naming_them(value):
    with pytest.raises(scoring.ScoringError) as raised:
        scoring.check_answers(definition(), answered(1, value, 3))

    assert raised.value.item_keys == ("i2",)
    assert "not on the answer scale" in str(raised.value)


def test_an_asymmetric_scale_refuses_values_between_its_options():
    scale = (ScaleOption("Never", 0), ScaleOption("Once", 1), ScaleOption("Always", 5))

    with pytest.raises(scoring.ScoringError) as raised:
        scoring.check_answers(definition(scale=scale, count=2), answered(4, 1))

    assert raised.value.item_keys == ("i1",)


def test_missing_answers_are_refused_naming_every_missing_item():
    with pytest.raises(scoring.ScoringError) as raised:
        scoring.score(definition(count=4), {"i2": 3})

    assert raised.value.item_keys == ("i1", "i3", "i4")
    assert "no answer" in str(raised.value)


def test_a_scoring_error_is_a_value_error_with_no_keys_by_default():
    error = scoring.ScoringError("Something is wrong.")

    assert isinstance(error, ValueError)
    assert error.item_keys == ()


# Validation -------------------------------------------------------------------------------


def test_a_well_formed_definition_has_no_problems():
    assert scoring.problems(definition(scale=USUALLY, bands=THREE_BANDS)) == []
    assert scoring.problems(definition()) == []


def test_a_scale_needs_at_least_two_options():
    found = scoring.problems(definition(scale=(ScaleOption("Yes", 1),)))

    assert [problem.part for problem in found] == ["scale"]
    assert messages(found) == ["The answer scale needs at least two options."]


def test_scale_values_must_differ():
    scale = (ScaleOption("Yes", 1), ScaleOption("Often", 2), ScaleOption("Always", 2))

    found = scoring.problems(definition(scale=scale))

    assert messages(found) == ["Each option on the answer scale needs its own value."]


def test_scale_labels_must_differ():
    scale = (ScaleOption("Yes", 1), ScaleOption(" yes ", 2))

    assert messages(scoring.problems(definition(scale=scale))) == [
        "Each option on the answer scale needs its own label."
    ]


def test_scale_values_stay_within_bounds_and_options_are_limited():
    too_far = (ScaleOption("Low", -101), ScaleOption("High", 1))
    too_many = tuple(ScaleOption(f"Option {value}", value) for value in range(12))

    assert "between -100 and 100" in messages(scoring.problems(definition(scale=too_far)))[0]
    assert "at most 11 options" in messages(scoring.problems(definition(scale=too_many)))[0]


def test_an_item_needs_a_dimension():
    items = (Item(key="i1", dimension_key="d"), Item(key="i2", dimension_key=""))

    found = scoring.problems(definition(items=items))

    assert [problem.part for problem in found] == ["items"]
    assert messages(found) == ["Question 2 needs a dimension."]


def test_an_item_cannot_name_a_dimension_the_instrument_lacks():
    items = (Item(key="i1", dimension_key="nowhere"), Item(key="i2", dimension_key="d"))

    assert messages(scoring.problems(definition(items=items))) == [
        "Question 1 names a dimension this instrument lacks."
    ]


def test_item_problems_are_reported_beside_scale_problems():
    found = scoring.problems(
        definition(scale=(ScaleOption("Yes", 1),), items=(Item(key="i1", dimension_key=""),))
    )

    assert [problem.part for problem in found] == ["scale", "items"]


def test_a_dimension_needs_at_least_one_item():
    dimensions = (Dimension(key="d", name="Trust"), Dimension(key="e", name="Conflict"))

    found = scoring.problems(definition(dimensions=dimensions))

    assert [problem.part for problem in found] == ["dimensions"]
    assert messages(found) == ["Conflict: no question belongs to this dimension."]


def test_an_instrument_needs_a_dimension_and_dimension_names_must_differ():
    assert messages(scoring.problems(Definition(scale=AGREEMENT, dimensions=(), items=()))) == [
        "Add at least one dimension."
    ]
    dimensions = (Dimension(key="d", name="Trust"), Dimension(key="e", name="trust"))
    items = (Item(key="i1", dimension_key="d"), Item(key="i2", dimension_key="e"))
    assert messages(scoring.problems(definition(dimensions=dimensions, items=items))) == [
        "Each dimension needs its own name."
    ]


def test_overlapping_bands_are_refused_naming_both():
    bands = (Band(3, 6, "Low"), Band(6, 9, "High"))

    found = scoring.problems(definition(scale=USUALLY, bands=bands))

    assert messages(found) == [
        "Trust: the bands “Low” (3 to 6) and “High” (6 to 9) overlap.",
    ]


def test_a_gap_in_the_bands_is_refused_naming_the_uncovered_score():
    bands = (Band(8, 9, "High"), Band(3, 6, "Low"))  # 7 is in neither

    found = scoring.problems(definition(scale=USUALLY, bands=bands))

    assert [problem.part for problem in found] == ["dimensions"]
    assert messages(found) == [
        "Trust: a score of 7 falls in no band. Every score from 3 to 9 needs a band."
    ]


def test_a_gap_names_the_first_three_uncovered_scores_and_says_there_are_more():
    bands = (Band(3, 4, "Low"),)

    (message,) = messages(scoring.problems(definition(scale=USUALLY, bands=bands)))

    assert message.startswith("Trust: a score of 5, 6, 7 and others falls in no band.")


def test_a_band_must_not_start_above_its_end():
    bands = (Band(9, 8, "High"), Band(3, 7, "Low"))

    assert messages(scoring.problems(definition(scale=USUALLY, bands=bands))) == [
        "Trust: the band “High” starts at 9, above where it ends (8)."
    ]


def test_a_band_that_no_possible_score_reaches_is_refused():
    # Means of three answers on 1 to 3 are thirds: 1, 4/3, 5/3, 2, ...; none is in 1.1-1.2.
    bands = (Band(1, 1, "Lowest"), Band(Decimal("1.1"), Decimal("1.2"), "Never"))
    bands += (Band(Decimal("1.3"), 3, "Rest"),)

    found = scoring.problems(definition(scale=USUALLY, rule=scoring.MEAN, bands=bands))

    assert messages(found) == [
        "Trust: no possible score falls in the band “Never” (1.1 to 1.2); scores run from 1 to 3."
    ]


def test_a_band_beyond_the_score_range_is_refused():
    bands = THREE_BANDS + (Band(10, 12, "Off the scale"),)

    (message,) = messages(scoring.problems(definition(scale=USUALLY, bands=bands)))

    assert "no possible score falls in the band “Off the scale” (10 to 12)" in message


@pytest.mark.parametrize("scaled_range", [(10, 0), (5, 5), (Decimal("2.5"), Decimal("2.50"))])
def test_a_rescaled_range_must_run_upwards(scaled_range):
    found = scoring.problems(definition(rule=scoring.MEAN, scaled_range=scaled_range))

    assert messages(found) == [
        "Trust: the rescaled range must run from a lower number to a higher one."
    ]


def test_gaps_between_achievable_scores_are_accepted():
    # Three summed answers on 1 to 3 score only whole numbers, so 5-6 and 7-8 leave no
    # score without a band.
    bands = (Band(3, 5, "Low"), Band(6, 7, "Middle"), Band(8, 9, "High"))

    assert scoring.problems(definition(scale=USUALLY, bands=bands)) == []


def test_decimal_gaps_between_rescaled_scores_are_accepted():
    # Means of three answers on 1 to 5 rescaled to 0-10 move in steps of 10/12 = 0.83, so no
    # score lies between 4.9 and 5.0 or between 7.4 and 7.5.
    bands = (Band(0, Decimal("4.9"), "A priority"), Band(Decimal("5.0"), Decimal("7.4"), "Mixed"))
    bands += (Band(Decimal("7.5"), 10, "Strong"),)

    assert scoring.problems(definition(rule=scoring.MEAN, scaled_range=(0, 10), bands=bands)) == []


def test_a_score_in_a_decimal_gap_is_named():
    # Means of two answers on 1 to 5 are halves: 2.5 lies between 2.4 and 2.6.
    bands = (Band(1, Decimal("2.4"), "Low"), Band(Decimal("2.6"), 5, "High"))

    (message,) = messages(scoring.problems(definition(rule=scoring.MEAN, count=2, bands=bands)))

    assert (
        message == "Trust: a score of 2.5 falls in no band. Every score from 1 to 5 needs a band."
    )


def test_format_number_shows_whole_numbers_bare_and_others_to_two_places():
    assert scoring.format_number(7) == "7"
    assert scoring.format_number(Fraction(15, 2)) == "7.5"
    assert scoring.format_number(Decimal("5.0")) == "5"
    assert scoring.format_number(Fraction(20, 3)) == "about 6.67"


# Properties of any valid definition -------------------------------------------------------

RESCALE_NUMBERS = st.one_of(
    st.integers(min_value=-1000, max_value=1000),
    st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def rescale_ranges(draw):
    low = draw(RESCALE_NUMBERS)
    high = draw(RESCALE_NUMBERS.filter(lambda value: Fraction(value) > Fraction(low)))
    return (low, high)


@st.composite
def partitioned_bands(draw, scores: list[Fraction]) -> tuple[Band, ...]:
    """Bands from cutting the achievable scores into contiguous groups, listed in any order."""
    cuts = draw(
        st.sets(
            st.integers(min_value=1, max_value=len(scores) - 1),
            max_size=min(5, len(scores) - 1),
        )
        if len(scores) > 1
        else st.just(set())
    )
    edges = [0, *sorted(cuts), len(scores)]
    bands = [
        Band(lower=scores[start], upper=scores[end - 1], label=f"Band {number}")
        for number, (start, end) in enumerate(zip(edges, edges[1:], strict=False))
    ]
    return tuple(draw(st.permutations(bands)))


@st.composite
def definitions(draw) -> Definition:
    """Any valid definition: 1-4 dimensions of 1-6 items (some reverse-keyed), a scale of 2-7
    distinct values in any order, sum or mean, rescaled or not, and bands that partition the
    achievable scores (or none)."""
    values = draw(
        st.lists(st.integers(min_value=-100, max_value=100), min_size=2, max_size=7, unique=True)
    )
    scale = tuple(ScaleOption(f"Option {index}", value) for index, value in enumerate(values))
    dimensions, items = [], []
    for number in range(draw(st.integers(min_value=1, max_value=4))):
        key = f"d{number}"
        dimensions.append(
            Dimension(
                key=key,
                name=f"Dimension {number}",
                rule=draw(st.sampled_from([scoring.SUM, scoring.MEAN])),
                scaled_range=draw(st.none() | rescale_ranges()),
            )
        )
        for index in range(draw(st.integers(min_value=1, max_value=6))):
            items.append(
                Item(key=f"{key}-i{index}", dimension_key=key, reverse=draw(st.booleans()))
            )
    unbanded = Definition(
        scale=scale, dimensions=tuple(dimensions), items=tuple(draw(st.permutations(items)))
    )
    banded = []
    for dimension in unbanded.dimensions:
        if draw(st.booleans()):
            scores = scoring.possible_scores(unbanded, dimension)
            dimension = dataclasses.replace(dimension, bands=draw(partitioned_bands(scores)))
        banded.append(dimension)
    return dataclasses.replace(unbanded, dimensions=tuple(banded))


@st.composite
def answered_definitions(draw, *, mirrorable_only: bool = False):
    """A definition and an answer for every item (only values whose mirror is on the scale,
    if asked: the lowest and highest always are)."""
    instrument = draw(definitions())
    choices = mirrorable(instrument) if mirrorable_only else sorted(instrument.values)
    answers = {item.key: draw(st.sampled_from(choices)) for item in instrument.items}
    return instrument, answers


def mirror(instrument: Definition, value: int) -> int:
    return instrument.lowest + instrument.highest - value


def mirrorable(instrument: Definition) -> list[int]:
    return sorted(
        value for value in instrument.values if mirror(instrument, value) in instrument.values
    )


PROPERTY_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(definitions())
def test_every_generated_definition_is_valid(instrument):
    assert scoring.problems(instrument) == []


@PROPERTY_SETTINGS
@given(answered_definitions())
def test_scores_stay_within_the_possible_range(case):
    instrument, answers = case

    result = scoring.score(instrument, answers)

    for dimension, scored in zip(instrument.dimensions, result.dimensions, strict=True):
        raw_low, raw_high = scoring.raw_range(instrument, dimension)
        low, high = scoring.score_range(instrument, dimension)
        assert raw_low <= scored.raw <= raw_high
        assert low <= scored.scaled <= high
        assert (scored.minimum, scored.maximum) == (low, high)
        assert 0 <= scored.proportion <= 1
        assert scored.scaled in scoring.possible_scores(instrument, dimension)


@PROPERTY_SETTINGS
@given(answered_definitions(mirrorable_only=True))
def test_mirroring_every_answer_mirrors_every_score(case):
    instrument, answers = case
    mirrored = {key: mirror(instrument, value) for key, value in answers.items()}

    result = scoring.score(instrument, answers)
    opposite = scoring.score(instrument, mirrored)

    for dimension, scored, flipped in zip(
        instrument.dimensions, result.dimensions, opposite.dimensions, strict=True
    ):
        low, high = scoring.score_range(instrument, dimension)
        assert flipped.scaled == low + high - scored.scaled
        assert flipped.proportion == 1 - scored.proportion


@PROPERTY_SETTINGS
@given(answered_definitions(mirrorable_only=True))
def test_a_reverse_keyed_answer_scores_as_the_mirrored_answer_to_a_plain_item(case):
    instrument, answers = case
    # Flip every item's keying and mirror its answer: nothing about the result changes.
    flipped = dataclasses.replace(
        instrument,
        items=tuple(
            dataclasses.replace(item, reverse=not item.reverse) for item in instrument.items
        ),
    )
    mirrored = {key: mirror(instrument, value) for key, value in answers.items()}

    assert scoring.score(flipped, mirrored) == scoring.score(instrument, answers)
    for item in instrument.items:
        for value in instrument.values:
            opposite = dataclasses.replace(item, reverse=not item.reverse)
            assert scoring.keyed_value(instrument, item, value) == scoring.keyed_value(
                instrument, opposite, mirror(instrument, value)
            )


@PROPERTY_SETTINGS
@given(answered_definitions())
def test_bands_cover_every_possible_score_exactly_once(case):
    instrument, answers = case

    result = scoring.score(instrument, answers)

    for dimension, scored in zip(instrument.dimensions, result.dimensions, strict=True):
        if not dimension.bands:
            assert scored.band is None
            continue
        assert scored.band is not None
        assert dimension.bands[scored.band_index] == scored.band
        assert scored.band.contains(scored.scaled)
        for possible in scoring.possible_scores(instrument, dimension):
            assert sum(band.contains(possible) for band in dimension.bands) == 1


@PROPERTY_SETTINGS
@given(answered_definitions(), st.randoms(use_true_random=False))
def test_scoring_is_deterministic_and_ignores_the_order_of_answers(case, random):
    instrument, answers = case
    shuffled = list(answers.items())
    random.shuffle(shuffled)

    first = scoring.score(instrument, answers)

    assert scoring.score(instrument, dict(shuffled)) == first
    assert scoring.score(instrument, dict(answers)) == first
    assert [scored.key for scored in first.dimensions] == [d.key for d in instrument.dimensions]


# Statistics -------------------------------------------------------------------------------


def test_cronbach_alpha_hand_worked():
    rows = [[3, 4, 3], [5, 4, 5], [1, 2, 2], [3, 2, 2]]
    # Item 1: 3, 5, 1, 3; mean 3; squared deviations 0 + 4 + 4 + 0 = 8; variance 8/3.
    # Item 2: 4, 4, 2, 2; mean 3; 1 + 1 + 1 + 1 = 4; variance 4/3.
    # Item 3: 3, 5, 2, 2; mean 3; 0 + 4 + 1 + 1 = 6; variance 2.
    # Sum of item variances: 8/3 + 4/3 + 2 = 6.
    # Totals: 10, 14, 5, 7; mean 9; 1 + 25 + 16 + 4 = 46; variance 46/3.
    # alpha = 3 / (3 - 1) x (1 - 6 / (46/3)) = 1.5 x (1 - 18/46) = 1.5 x 28/46 = 21/23.
    assert scoring.cronbach_alpha(rows) == pytest.approx(21 / 23)


def test_cronbach_alpha_is_one_when_items_move_together():
    # Two items that always differ by one: item variances 1 and 1, totals 5, 9, 7 with
    # variance 4; alpha = 2 x (1 - 2/4) = 1.
    assert scoring.cronbach_alpha([[2, 3], [4, 5], [3, 4]]) == pytest.approx(1.0)


def test_cronbach_alpha_accepts_fractions_and_decimals():
    rows = [[Fraction(3), Decimal(4), 3], [5, 4, 5], [1, 2, 2], [3, 2, 2]]

    assert scoring.cronbach_alpha(rows) == pytest.approx(21 / 23)


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([], id="no respondents"),
        pytest.param([[1, 2, 3]], id="one respondent"),
        pytest.param([[1], [2], [3]], id="one item"),
        pytest.param([[], []], id="no items"),
        pytest.param([[2, 2], [2, 2], [2, 2]], id="everyone the same"),
        pytest.param([[1, 3], [3, 1], [2, 2]], id="totals all equal"),
    ],
)
def test_cronbach_alpha_is_none_where_it_is_undefined(rows):
    assert scoring.cronbach_alpha(rows) is None


def test_summarise_hand_worked():
    summary = scoring.summarise([2, 4, 4, 4, 5, 5, 7, 9])

    # Mean 40 / 8 = 5; squared deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32;
    # sample variance 32 / 7; spread sqrt(32 / 7) = 2.138.
    assert summary.count == 8
    assert summary.mean == 5
    assert summary.spread == pytest.approx(math.sqrt(32 / 7))
    assert (summary.minimum, summary.maximum) == (2, 9)


def test_summarise_takes_exact_scores():
    summary = scoring.summarise([Fraction(7, 2), Decimal("4.5")])

    # Mean 4; deviations -0.5 and 0.5; variance 0.5 / 1; spread sqrt(0.5).
    assert summary.mean == 4
    assert summary.spread == pytest.approx(math.sqrt(0.5))


def test_summarise_one_value_has_no_spread():
    summary = scoring.summarise([Decimal("3.5")])

    assert (summary.count, summary.mean, summary.spread) == (1, 3.5, None)
    assert (summary.minimum, summary.maximum) == (3.5, 3.5)


def test_summarise_nothing():
    summary = scoring.summarise([])

    assert (summary.count, summary.mean, summary.spread) == (0, None, None)
    assert (summary.minimum, summary.maximum) == (None, None)
