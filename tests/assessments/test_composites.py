"""Combined scores (`scoring.Composite`, such as a total) and how a team's mean is banded.

The first half is pure scoring, with no database: combined scores worked out by hand and
as properties over any valid definition, and the rounding of a team's mean half up to the
nearest score one person could get. The second half goes through the models, services
and pages: validation refusals, old responses, results, attempt comparison, team reports,
editors' statistics and query counts.
"""

import dataclasses
import itertools
import math
import re
from decimal import Decimal
from fractions import Fraction
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments import definitions, pdf, scoring, selectors, services
from assessments.models import DimensionScore, Instrument
from assessments.scoring import Band, Composite, Definition, Dimension, Item, ScaleOption
from assessments.statistics import instrument_statistics
from assessments.team_reports import band_of_mean, team_report
from tests.factories import UserFactory

from . import test_admin as admin
from .factories import AGREEMENT, USUALLY, build_instrument, composite, dimension, keys_of
from .test_scoring import PROPERTY_SETTINGS, partitioned_bands
from .test_scoring import definitions as valid_definitions
from .test_shipped_instruments import PARTNERSHIP, TEAM_DYSFUNCTIONS, from_toml, sheet

STRENGTH_BANDS = (
    Band(8, 9, "Probably a strength"),
    Band(6, 7, "Could be a problem"),
    Band(3, 5, "Needs attention"),
)
TOTAL_BANDS = (Band(14, 18, "Strong"), Band(10, 13, "Mixed"), Band(6, 9, "Needs attention"))


def two_dimensions(*, rule=scoring.SUM, bands=TOTAL_BANDS, scaled=None) -> Definition:
    """Trust and Conflict, three questions each on Usually (3) to Rarely (1), the third of
    each reverse-keyed, summed (3 to 9) unless `scaled`; a combined score over both."""
    scale = (ScaleOption("Usually", 3), ScaleOption("Sometimes", 2), ScaleOption("Rarely", 1))
    return Definition(
        scale=scale,
        dimensions=tuple(
            Dimension(
                key=key,
                name=key.title(),
                rule=scoring.MEAN if scaled else scoring.SUM,
                scaled_range=scaled,
                bands=() if scaled else STRENGTH_BANDS,
            )
            for key in ("trust", "conflict")
        ),
        items=tuple(
            Item(key=f"{key}{number}", dimension_key=key, reverse=number == 3)
            for key in ("trust", "conflict")
            for number in (1, 2, 3)
        ),
        composites=(
            Composite(
                key="overall", name="Overall", parts=("trust", "conflict"), rule=rule, bands=bands
            ),
        ),
    )


def answers(trust: tuple, conflict: tuple) -> dict[str, int]:
    return {
        **{f"trust{number}": value for number, value in enumerate(trust, start=1)},
        **{f"conflict{number}": value for number, value in enumerate(conflict, start=1)},
    }


# Scoring a combined score -----------------------------------------------------------------


def test_a_total_adds_its_dimensions_scores_and_is_banded_like_a_dimension():
    definition = two_dimensions()
    # Trust: 3 + 3 + (4 - 1) = 9. Conflict: 2 + 2 + (4 - 2) = 6. Total 15, "Strong".
    result = scoring.score(definition, answers((3, 3, 1), (2, 2, 2)))

    (overall,) = result.composites
    assert [dimension.scaled for dimension in result.dimensions] == [9, 6]
    assert (overall.key, overall.name, overall.raw, overall.scaled) == (
        "overall",
        "Overall",
        15,
        15,
    )
    assert (overall.minimum, overall.maximum) == (6, 18)
    assert overall.band == TOTAL_BANDS[0]
    assert overall.band_index == 0
    assert overall.proportion == Fraction(9, 12)


def test_a_mean_combines_the_scores_the_dimensions_report_after_rescaling():
    # Each dimension: the mean of three answers (1 to 3) rescaled onto 0 to 10.
    definition = two_dimensions(rule=scoring.MEAN, bands=(), scaled=(0, 10))
    # Trust answers 3, 2 and a reversed 1 (counts 3): mean 8/3, rescaled (8/3 - 1) * 5 = 25/3.
    # Conflict all 2 (the reversed one counts 2): mean 2, rescaled 5. Mean of both: 20/3.
    result = scoring.score(definition, answers((3, 2, 1), (2, 2, 2)))

    (overall,) = result.composites
    assert [dimension.scaled for dimension in result.dimensions] == [Fraction(25, 3), 5]
    assert overall.scaled == Fraction(20, 3)
    assert (overall.minimum, overall.maximum) == (0, 10)
    assert overall.band is None


def test_combined_scores_are_never_ranked():
    definition = two_dimensions()
    result = scoring.score(definition, answers((3, 3, 1), (3, 3, 1)))

    assert [dimension.key for dimension in result.ranked()] == ["trust", "conflict"]


@st.composite
def definitions_with_composites(draw) -> Definition:
    """Any valid definition (see test_scoring) with up to three combined scores over two or
    more of its dimensions, summed or averaged, with bands that partition their possible
    scores (or none, also when there are too many possible scores to check)."""
    definition = draw(valid_definitions())
    keys = [dimension.key for dimension in definition.dimensions]
    if len(keys) < 2:
        return definition
    composites = []
    for number in range(draw(st.integers(min_value=0, max_value=3))):
        parts = draw(st.lists(st.sampled_from(keys), min_size=2, max_size=len(keys), unique=True))
        candidate = Composite(
            key=f"c{number}",
            name=f"Combined {number}",
            parts=tuple(parts),
            rule=draw(st.sampled_from([scoring.SUM, scoring.MEAN])),
        )
        if draw(st.booleans()):
            try:
                scores = scoring.possible_scores(definition, candidate)
            except scoring.TooManyScores:
                scores = []
            if scores:
                bands = draw(partitioned_bands(scores))
                candidate = dataclasses.replace(candidate, bands=bands)
        composites.append(candidate)
    return dataclasses.replace(definition, composites=tuple(composites))


@PROPERTY_SETTINGS
@given(definitions_with_composites())
def test_every_generated_definition_with_combined_scores_is_valid(definition):
    assert scoring.problems(definition) == []


@PROPERTY_SETTINGS
@given(definitions_with_composites())
def test_a_combined_scores_possible_scores_are_every_sum_of_its_parts_scores(definition):
    """`possible_scores` adds whole numbers over a common denominator; here every pick of
    one score per part is added as fractions, where there are few enough picks."""
    for composite_ in definition.composites:
        parts = [
            scoring.possible_scores(definition, part) for part in definition.parts_of(composite_)
        ]
        if math.prod(len(scores) for scores in parts) > 20_000:
            continue
        count = len(parts) if composite_.rule == scoring.MEAN else 1
        expected = sorted({sum(pick, Fraction(0)) / count for pick in itertools.product(*parts)})

        assert scoring.possible_scores(definition, composite_) == expected


@PROPERTY_SETTINGS
@given(definitions_with_composites(), st.data())
def test_a_combined_score_is_its_dimensions_sum_or_mean_and_a_possible_score(definition, data):
    answered = {
        item.key: data.draw(st.sampled_from(sorted(definition.values))) for item in definition.items
    }

    result = scoring.score(definition, answered)

    by_key = {dimension.key: dimension.scaled for dimension in result.dimensions}
    assert len(result.composites) == len(definition.composites)
    for composite_, scored in zip(definition.composites, result.composites, strict=True):
        parts = [by_key[key] for key in composite_.parts]
        expected = sum(parts) / len(parts) if composite_.rule == scoring.MEAN else sum(parts)
        assert scored.scaled == scored.raw == expected
        low, high = scoring.composite_range(definition, composite_)
        assert (scored.minimum, scored.maximum) == (low, high)
        assert low <= scored.scaled <= high
        found = scoring.band_for(composite_, scored.scaled)
        assert scored.band == (found[1] if found else None)
        if composite_.bands:
            assert scored.band is not None  # its bands cover every possible score
            assert scored.scaled in scoring.possible_scores(definition, composite_)


# Rounding a team's mean -------------------------------------------------------------------

WHOLE = [Fraction(value) for value in range(3, 10)]  # a sum of three answers from 1 to 3


@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        pytest.param(Fraction(23, 3), 8, id="7.67-up"),
        pytest.param(Fraction("7.67"), 8, id="7.67-decimal"),
        pytest.param(Fraction("7.5"), 8, id="7.5-half-up"),
        pytest.param(Fraction("7.49"), 7, id="7.49-down"),
        pytest.param(Fraction("7.4999"), 7, id="7.4999-down"),
        pytest.param(Fraction("6.5"), 7, id="6.5-half-up-not-even"),
        pytest.param(Fraction(7), 7, id="exact"),
        pytest.param(Fraction("2.5"), 3, id="below-the-lowest"),
        pytest.param(Fraction("9.4"), 9, id="above-the-highest"),
    ],
)
def test_a_mean_rounds_half_up_to_the_nearest_whole_score(mean, expected):
    assert scoring.round_to_possible(WHOLE, mean) == expected


def test_a_mean_scored_dimension_rounds_on_the_grid_of_possible_means():
    # The mean of four answers from 1 to 5: quarters from 1 to 5.
    quarters = [1 + Fraction(step, 4) for step in range(17)]
    assert scoring.round_to_possible(quarters, Fraction("3.875")) == 4  # halfway: up
    assert scoring.round_to_possible(quarters, Fraction("3.87")) == Fraction("3.75")
    assert scoring.round_to_possible(quarters, Fraction("3.995")) == 4
    # Seven answers: sevenths. Halfway between 27/7 and 4 is 55/14 (3.9286): up to 4.
    sevenths = [1 + Fraction(step, 7) for step in range(29)]
    assert scoring.round_to_possible(sevenths, Fraction(55, 14)) == 4
    assert scoring.round_to_possible(sevenths, Fraction(55, 14) - Fraction(1, 10**6)) == Fraction(
        27, 7
    )


@PROPERTY_SETTINGS
@given(
    st.lists(st.fractions(min_value=-50, max_value=50), min_size=1, max_size=30, unique=True),
    st.fractions(min_value=-60, max_value=60),
)
def test_rounding_picks_the_nearest_possible_score_and_breaks_ties_upwards(possible, value):
    possible = sorted(possible)

    rounded = scoring.round_to_possible(possible, value)

    assert rounded in possible
    distance = abs(rounded - value)
    assert all(distance <= abs(other - value) for other in possible)
    tied = [other for other in possible if abs(other - value) == distance]
    assert rounded == max(tied)


@PROPERTY_SETTINGS
@given(definitions_with_composites(), st.data())
def test_any_team_mean_of_a_banded_score_reads_as_a_possible_score_with_a_band(definition, data):
    """Whatever the definition, a team's mean (of scores members could get) reads as the
    nearest possible score, half up, and that score always has a band."""
    banded = [scored for scored in definition.scored if scored.bands]
    if not banded:
        return
    scored = data.draw(st.sampled_from(banded))
    possible = scoring.possible_scores(definition, scored)
    members = data.draw(st.lists(st.sampled_from(possible), min_size=3, max_size=12))
    mean = sum(members, Fraction(0)) / len(members)

    read_as, found = scoring.team_band(definition, scored, mean)

    assert read_as in possible
    assert found is not None and found == scoring.band_for(scored, read_as)
    assert min(members) <= read_as <= max(members)
    assert all(abs(read_as - mean) <= abs(other - mean) for other in possible)


def test_a_stored_score_stands_for_the_exact_possible_score_within_rounding():
    sevenths = [1 + Fraction(step, 7) for step in range(29)]
    assert scoring.exact_score(sevenths, Decimal("3.8571")) == Fraction(27, 7)
    assert scoring.exact_score(sevenths, Decimal("4.0000")) == 4
    # Not within rounding of any possible score (another version's score): kept as stored.
    assert scoring.exact_score(sevenths, Decimal("3.9000")) == Fraction("3.9")
    assert scoring.exact_score([], Decimal("3.9000")) == Fraction("3.9")


def test_the_shipped_team_check_reads_a_mean_between_bands_as_the_nearest_score():
    definition = from_toml(TEAM_DYSFUNCTIONS)
    trust = next(item for item in definition.dimensions if item.key == "trust")
    overall = next(item for item in definition.composites if item.key == "overall")

    def read(scored, mean):
        label, read_as = band_of_mean(definition, scored, Fraction(mean))
        return label, read_as

    # The fault the issue names: 7.67 on 6-7 / 8-9 used to read "Could be a problem".
    assert read(trust, Fraction(23, 3)) == ("Probably a strength", 8)
    assert read(trust, "7.5") == ("Probably a strength", 8)
    assert read(trust, "7.49") == ("Could be a problem", 7)
    assert read(trust, "5.5") == ("Could be a problem", 6)
    assert read(trust, "5.49") == ("Needs attention", 5)
    # The total, 15 to 45 in whole numbers: 39.5 reads as 40.
    assert read(overall, "39.5") == ("Working well overall", 40)
    assert read(overall, "39.49") == ("Some layers need work", 39)
    assert read(overall, "29.5") == ("Some layers need work", 30)


def test_a_mean_band_on_a_grid_of_sevenths_rounds_half_up():
    """The shipped psychological safety check is the mean of seven answers (sevenths)."""
    definition = from_toml("team-psychological-safety")
    (safety,) = definition.dimensions
    labels = {band.label for band in safety.bands}
    high = band_of_mean(definition, safety, Fraction(55, 14))
    below = band_of_mean(definition, safety, Fraction(55, 14) - Fraction(1, 1000))

    assert high[1] == 4 and below[1] == Fraction(27, 7)
    assert high[0] != below[0] and {high[0], below[0]} <= labels


def test_an_unbanded_dimension_has_no_band_of_the_mean():
    definition = dataclasses.replace(
        two_dimensions(),
        dimensions=tuple(dataclasses.replace(d, bands=()) for d in two_dimensions().dimensions),
    )
    assert band_of_mean(definition, definition.dimensions[0], Fraction("7.5")) == ("", 8)


# The shipped combined scores ----------------------------------------------------------------

U, S, R = 3, 2, 1


@pytest.mark.parametrize(
    ("per_dimension", "total", "label"),
    [
        pytest.param([(U, U, U)] * 5, 45, "Working well overall", id="45-top"),
        pytest.param([(U, U, S)] * 5, 40, "Working well overall", id="40"),
        pytest.param([(U, U, S)] * 4 + [(U, S, S)], 39, "Some layers need work", id="39"),
        pytest.param([(S, S, S)] * 5, 30, "Some layers need work", id="30"),
        pytest.param([(S, S, S)] * 4 + [(S, S, R)], 29, "Needs a team conversation", id="29"),
        pytest.param([(R, R, R)] * 5, 15, "Needs a team conversation", id="15-bottom"),
    ],
)
def test_the_team_checks_total_at_its_band_edges(per_dimension, total, label):
    definition = from_toml(TEAM_DYSFUNCTIONS)
    keys = ["trust", "conflict", "commitment", "accountability", "results"]

    result = scoring.score(
        definition, sheet(definition, dict(zip(keys, per_dimension, strict=True)))
    )

    (overall,) = result.composites
    assert overall.scaled == total
    assert overall.band.label == label
    assert sum(dimension.scaled for dimension in result.dimensions) == total


@pytest.mark.parametrize(
    ("scores", "overall", "label"),
    [
        pytest.param([16] * 6, 16, "Strong overall", id="16-top"),
        pytest.param([13] * 6, 13, "Strong overall", id="13"),
        pytest.param([13] * 5 + [12], Fraction(77, 6), "Developing overall", id="12.83"),
        pytest.param([9] * 6, 9, "Developing overall", id="9"),
        pytest.param([9] * 5 + [8], Fraction(53, 6), "A concern overall", id="8.83"),
        pytest.param([4] * 6, 4, "A concern overall", id="4-bottom"),
    ],
)
def test_the_partnership_checks_overall_score_at_its_band_edges(scores, overall, label):
    definition = from_toml(PARTNERSHIP)
    (combined,) = definition.composites
    parts = {
        dimension.key: Fraction(score)
        for dimension, score in zip(definition.parts_of(combined), scores, strict=True)
    }

    assert scoring.combine(combined.rule, list(parts.values())) == overall
    assert scoring.band_for(combined, overall)[1].label == label
    assert overall in scoring.possible_scores(definition, combined)


# Validation ---------------------------------------------------------------------------------

QUESTIONS = [
    (
        "Only",
        [
            ("We trust each other.", "Trust"),
            ("We admit our mistakes.", "Trust"),
            ("We hide our weaknesses.", "Trust", True),
            ("We argue about ideas.", "Conflict"),
            ("We say what we think.", "Conflict"),
            ("We avoid hard topics.", "Conflict", True),
        ],
    )
]
TRUST_AND_CONFLICT = [dimension("Trust", rule="sum"), dimension("Conflict", rule="sum")]
TOTAL = [(14, 18, "Strong"), (10, 13, "Mixed"), (6, 9, "Needs attention")]


def refused(*composites, dimensions=TRUST_AND_CONFLICT, sections=QUESTIONS) -> list[str]:
    with pytest.raises(ValidationError) as error:
        build_instrument(
            scale=USUALLY, dimensions=dimensions, sections=sections, composites=composites
        )
    assert not Instrument.objects.exists()  # nothing was saved
    return error.value.message_dict["composites"]


@pytest.mark.django_db
def test_a_valid_total_is_accepted():
    instrument = build_instrument(
        scale=USUALLY,
        dimensions=TRUST_AND_CONFLICT,
        sections=QUESTIONS,
        composites=[composite("Overall", ["Trust", "conflict "], bands=TOTAL)],
    )
    (combined,) = instrument.questionnaire().definition.composites
    assert list(combined.parts) == [
        dimension.key for dimension in instrument.questionnaire().definition.dimensions
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("composites", "message"),
    [
        pytest.param(
            [
                composite("Overall", ["Trust", "Conflict"]),
                composite("overall ", ["Trust", "Conflict"]),
            ],
            "Each combined score needs its own name.",
            id="names-unique",
        ),
        pytest.param(
            [composite("Trust", ["Trust", "Conflict"])],
            "Trust: a dimension already has this name. Choose another.",
            id="not-a-dimensions-name",
        ),
        pytest.param(
            [composite("Overall", ["Trust", "Curiosity"])],
            "Overall: “Curiosity” is not one of this instrument's dimensions. A combined score "
            "can combine dimensions only.",
            id="unknown-part",
        ),
        pytest.param(
            [
                composite("Overall", ["Trust", "Conflict"]),
                composite("Everything", ["Overall", "Trust"]),
            ],
            "Everything: a combined score can combine dimensions only, not other combined scores.",
            id="no-composite-of-composites",
        ),
        pytest.param(
            [composite("Overall", ["Trust", "Trust"])],
            "Overall: it names the same dimension twice.",
            id="part-twice",
        ),
        pytest.param(
            [composite("Overall", ["Trust", "Conflict"], bands=[(6, 10, "Low"), (12, 18, "High")])],
            "Overall: a score of 11 falls in no band. Every score from 6 to 18 needs a band.",
            id="gap",
        ),
        pytest.param(
            [composite("Overall", ["Trust", "Conflict"], bands=[(6, 12, "Low"), (12, 18, "High")])],
            "Overall: the bands “Low” (6 to 12) and “High” (12 to 18) overlap.",
            id="overlap",
        ),
        pytest.param(
            [
                composite(
                    "Overall",
                    ["Trust", "Conflict"],
                    rule="mean",
                    bands=[(3, 9, "All"), (10, 12, "Beyond")],
                )
            ],
            "Overall: no possible score falls in the band “Beyond” (10 to 12); scores run "
            "from 3 to 9.",
            id="unreachable-band",
        ),
    ],
)
def test_combined_scores_that_cannot_be_scored_are_refused(composites, message):
    assert message in refused(*composites)


@pytest.mark.django_db
def test_a_combined_score_of_one_dimension_is_refused():
    assert refused(composite("Overall", ["Trust"])) == ["Overall: combine at least two dimensions."]


def test_a_combined_score_with_too_many_possible_scores_is_refused():
    """Three dimensions with 7, 11 and 13 questions on an 11-point scale, averaged: their
    means' sums land on a grid far finer than the bands could be checked against."""
    counts = {"a": 7, "b": 11, "c": 13}
    definition = Definition(
        scale=tuple(ScaleOption(f"{value}", value) for value in range(1, 12)),
        dimensions=tuple(Dimension(key=key, name=key, rule=scoring.MEAN) for key in counts),
        items=tuple(
            Item(key=f"{key}{number}", dimension_key=key)
            for key, count in counts.items()
            for number in range(count)
        ),
        composites=(
            Composite(key="all", name="All", parts=("a", "b", "c"), bands=(Band(3, 33, "Any"),)),
        ),
    )

    assert [problem.message for problem in scoring.problems(definition)] == [
        "All: it can produce too many different scores to check its bands. Combine fewer "
        "dimensions, or dimensions with the same number of questions."
    ]
    # Without bands there is nothing to check, and it scores.
    unbanded = dataclasses.replace(
        definition, composites=(dataclasses.replace(definition.composites[0], bands=()),)
    )
    assert scoring.problems(unbanded) == []
    result = scoring.score(unbanded, {item.key: 11 for item in definition.items})
    assert result.composites[0].scaled == 33


# Through the services and pages ---------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def checked_instrument(*, kind=Instrument.Kind.INDIVIDUAL, slug="team-check", ranking=False):
    return build_instrument(
        slug=slug,
        kind=kind,
        scale=USUALLY,
        show_ranking=ranking,
        dimensions=[
            dimension(
                "Trust",
                rule="sum",
                bands=[
                    (8, 9, "Probably a strength"),
                    (6, 7, "Could be a problem"),
                    (3, 5, "Needs attention"),
                ],
            ),
            dimension(
                "Conflict",
                rule="sum",
                bands=[
                    (8, 9, "Probably a strength"),
                    (6, 7, "Could be a problem"),
                    (3, 5, "Needs attention"),
                ],
            ),
        ],
        composites=[
            composite(
                "Overall", ["Trust", "Conflict"], bands=TOTAL, description="Both layers together."
            )
        ],
        sections=QUESTIONS,
    )


def sums(trust: int, conflict: int):
    """Answers giving these sums (3 to 9), with the reverse-keyed third question at its
    lowest keyed value where possible, as `submit` takes them (by question index)."""

    def spread(total):
        first = min(3, total - 2)
        second = min(3, total - first - 1)
        third = total - first - second
        return [first, second, 4 - third]  # the third is reverse-keyed

    values = spread(trust) + spread(conflict)
    return lambda index, _key: values[index]


def submit_sums(learner, instrument, trust, conflict, *, team=None):
    response = services.response_start(learner=learner, instrument=instrument, team=team)
    keys = keys_of(instrument)
    chosen = sums(trust, conflict)
    return services.response_submit(
        response=response, answers={key: chosen(index, key) for index, key in enumerate(keys)}
    )


@pytest.mark.django_db
def test_submitting_stores_the_combined_score_after_the_dimensions(learner):
    instrument = checked_instrument()

    submitted = submit_sums(learner, instrument, 9, 6)

    rows = list(submitted.scores.order_by("position"))
    assert [(row.name, row.scaled_score, row.is_composite) for row in rows] == [
        ("Trust", Decimal("9"), False),
        ("Conflict", Decimal("6"), False),
        ("Overall", Decimal("15"), True),
    ]
    overall = rows[2]
    assert (overall.minimum, overall.maximum) == (6, 18)
    assert (overall.band_label, overall.band_index, overall.position) == ("Strong", 0, 2)


@pytest.mark.django_db
def test_the_result_page_shows_the_combined_score_and_compares_attempts(learner):
    instrument = checked_instrument()
    submit_sums(learner, instrument, 7, 6)
    second = submit_sums(learner, instrument, 9, 8)

    response = signed_in(learner).get(second.get_absolute_url())
    text, html = page_text(response), unescape(response.content.decode())

    assert "Overall Last time 13 This time 17 out of 18 Change +4 (up 4) Band Strong" in text
    assert "Both layers together. The sum of the scores for Trust and Conflict." in text
    assert 'aria-label="Overall: 17 out of 18 (Strong). Last time: 13"' in html  # the chart
    assert "Overall over 2 attempts: 13, 17" in html  # the line over time


@pytest.mark.django_db
def test_combined_scores_stay_out_of_the_top_five(learner):
    instrument = checked_instrument(ranking=True)
    submitted = submit_sums(learner, instrument, 5, 9)

    response = signed_in(learner).get(submitted.get_absolute_url())

    top_five = [row.score.name for row in response.context["detail"].top_five]
    assert top_five == ["Conflict", "Trust"]
    assert "Overall" in [row.score.name for row in response.context["detail"].rows]


@pytest.mark.django_db
def test_a_response_from_before_combined_scores_keeps_its_scores(learner):
    """An attempt answered on a revision without combined scores keeps exactly its scores
    and words after a combined score is published; the next attempt gets one."""
    instrument = build_instrument(scale=USUALLY, dimensions=TRUST_AND_CONFLICT, sections=QUESTIONS)
    before = submit_sums(learner, instrument, 7, 8)
    # A revision saved before this feature has no "composites" in its content at all.
    revision = before.revision
    revision.content.pop("composites", None)
    revision.save()
    old = definitions.for_revision(revision, Instrument)
    assert old.definition.composites == () and old.composites == ()

    instrument.composites = [
        ("composite", composite("Overall", ["Trust", "Conflict"], bands=TOTAL))
    ]
    instrument.full_clean()
    instrument.save()
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    after = submit_sums(learner, instrument, 7, 8)

    assert [(s.name, s.scaled_score) for s in before.scores.order_by("position")] == [
        ("Trust", 7),
        ("Conflict", 8),
    ]
    assert [(s.name, s.scaled_score) for s in after.scores.order_by("position")] == [
        ("Trust", 7),
        ("Conflict", 8),
        ("Overall", 15),
    ]
    client = signed_in(learner)
    assert "Overall" not in page_text(client.get(before.get_absolute_url()))
    text = page_text(client.get(after.get_absolute_url()))
    assert "Overall Last time Not scored This time 15 out of 18 Change New this time" in text


# Team reports -------------------------------------------------------------------------------


def team_with(instrument, people_sums):
    creator = UserFactory()
    team = services.team_create(learner=creator, instrument=instrument, name="Ward 7 team")
    people = [creator]
    for _ in people_sums[1:]:
        person = UserFactory()
        services.team_join(learner=person, code=team.join_code)
        people.append(person)
    for person, (trust, conflict) in zip(people, people_sums, strict=True):
        submit_sums(person, instrument, trust, conflict, team=team)
    return team, creator


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("trusts", "label", "counts_as"),
    [
        pytest.param([8, 8, 7], "Probably a strength", "8", id="7.67"),
        pytest.param([8, 7, 8, 7], "Probably a strength", "8", id="7.5"),
        pytest.param([8, 7, 7], "Could be a problem", "7", id="7.33"),
        pytest.param([6, 5, 6, 5], "Could be a problem", "6", id="5.5"),
    ],
)
def test_a_teams_mean_reads_as_the_nearest_score_half_up(trusts, label, counts_as):
    instrument = checked_instrument(kind=Instrument.Kind.TEAM)
    team, _creator = team_with(instrument, [(trust, 9) for trust in trusts])

    report = team_report(team)

    trust = next(item for item in report.dimensions if item.name == "Trust")
    assert trust.band_label == label
    assert trust.read_as == Decimal(counts_as)
    assert trust.scaled_score == Decimal(sum(trusts)) / len(trusts)


@pytest.mark.django_db
def test_the_team_report_shows_the_combined_score_and_states_the_rule():
    instrument = checked_instrument(kind=Instrument.Kind.TEAM)
    # Trust 8, 8, 7 (mean 7.67); Conflict 9, 6, 6 (7); totals 17, 14, 13: mean 14.67.
    team, creator = team_with(instrument, [(8, 9), (8, 6), (7, 6)])

    response = signed_in(creator).get(f"/assessments/teams/{team.pk}/report/")
    text = page_text(response)

    assert (
        "Trust Scores run from 3 to 9 Mean 7.7 Lowest 7 Highest 8 Band of the mean "
        "Probably a strength The mean counts as 8"
    ) in text
    assert (
        "Overall The sum of the scores for Trust and Conflict. Scores run from 6 to 18 "
        "Mean 14.7 Lowest 13 Highest 17 Band of the mean Strong The mean counts as 15"
    ) in text
    assert "How the team's band is chosen" in text
    assert (
        "We round it to the nearest of those scores, and a mean exactly halfway is rounded up."
        in text
    )
    assert "a mean of 7.5 or 7.7 counts as 8, and a mean of 7.4 counts as 7." in text
    assert 'aria-label="Overall: 14.7 out of 18 (Strong)"' in response.content.decode()


@pytest.mark.django_db
def test_the_team_report_means_are_exact_on_a_grid_of_sevenths():
    """Stored scores keep four places (27/7 is stored as 3.8571); the report turns them
    back into exact scores, so a mean exactly halfway between 27/7 and 4 rounds up."""
    instrument = build_instrument(
        slug="team-safety-7",
        kind=Instrument.Kind.TEAM,
        scale=AGREEMENT,
        dimensions=[
            dimension("Safety", bands=[(4, 5, "High"), (3, "3.99", "Moderate"), (1, "2.99", "Low")])
        ],
        sections=[("Your team", [(f"Statement {number}.", "Safety") for number in range(7)])],
    )
    creator = UserFactory()
    team = services.team_create(learner=creator, instrument=instrument, name="Sevenths")
    people = [creator]
    for _ in range(3):
        person = UserFactory()
        services.team_join(learner=person, code=team.join_code)
        people.append(person)
    # Two members at 27/7 (six 4s and a 3), two at 4 (all 4s): the mean is 55/14.
    for number, person in enumerate(people):
        lowest = 3 if number < 2 else 4
        response = services.response_start(learner=person, instrument=instrument, team=team)
        services.response_submit(
            response=response,
            answers={
                key: lowest if index == 0 else 4 for index, key in enumerate(keys_of(instrument))
            },
        )
    stored = sorted(DimensionScore.objects.values_list("scaled_score", flat=True))
    assert stored == [Decimal("3.8571")] * 2 + [Decimal("4")] * 2
    # From the stored figures alone the mean is 3.92855, just under halfway (3.928571...).

    (safety,) = team_report(team).dimensions

    assert safety.band_label == "High"
    assert safety.read_as == 4


def captured(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_pages_with_combined_scores_cost_the_same_queries_at_two_sizes():
    """The team report for 3 or 12 members, and a result page after 1 or 6 attempts, with a
    combined score: no query per member, attempt or score."""
    instrument = checked_instrument(kind=Instrument.Kind.TEAM)
    individual = checked_instrument(slug="own-check")
    runs = []
    for size, attempts in ((3, 1), (12, 6)):
        team, creator = team_with(instrument, [(3 + n % 7, 9 - n % 7) for n in range(size)])
        learner = UserFactory()
        for number in range(attempts):
            latest = submit_sums(learner, individual, 3 + number, 9 - number)
        client = signed_in(creator)
        report_url = f"/assessments/teams/{team.pk}/report/"
        captured(client, report_url)  # warm the site root paths cache
        own = signed_in(learner)
        captured(own, latest.get_absolute_url())
        runs.append(
            {
                "report": captured(client, report_url),
                "result": captured(own, latest.get_absolute_url()),
            }
        )

    few, many = runs
    assert len(few["report"]) == len(many["report"]), "\n".join(many["report"])
    assert len(few["result"]) == len(many["result"]), "\n".join(many["result"])
    assert len(many["report"]) <= 11, "\n".join(many["report"])


# Statistics -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_editors_statistics_include_the_combined_score():
    instrument = checked_instrument()
    for trust, conflict in [(9, 6), (7, 8), (5, 5)]:
        submit_sums(UserFactory(), instrument, trust, conflict)

    statistics = instrument_statistics(instrument)

    overall = statistics.dimensions[-1]
    assert [item.name for item in statistics.dimensions] == ["Trust", "Conflict", "Overall"]
    assert overall.is_composite and not statistics.dimensions[0].is_composite
    assert overall.combines == "The sum of the scores for Trust and Conflict."
    assert (overall.minimum, overall.maximum) == (6, 18)
    assert overall.summary.count == 3
    assert overall.summary.mean == pytest.approx((15 + 15 + 10) / 3)
    assert (overall.summary.minimum, overall.summary.maximum) == (10, 15)
    assert overall.items == () and overall.alpha is None


# In the editor ----------------------------------------------------------------------------------


def composite_data(name, parts, *, rule="sum", bands=()):
    return {
        "name": name,
        "description": "",
        "rule": rule,
        "dimensions": {
            "count": str(len(parts)),
            **{
                str(index): {"value": part, "deleted": "", "order": str(index)}
                for index, part in enumerate(parts)
            },
        },
        "bands": {
            "count": str(len(bands)),
            **{
                str(index): {"value": admin.band_data(*spec), "deleted": "", "order": str(index)}
                for index, spec in enumerate(bands)
            },
        },
    }


@pytest.fixture
def editor_client(db):
    editor = admin.in_group(admin.COURSE_EDITOR, organisation=None)
    client = Client()
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_an_editor_adds_a_total_that_learners_get(editor_client, learner):
    # Shared purpose: 0 to 6 (sum of two). Trust: 0 to 10 (mean rescaled). Total 0 to 16.
    total = composite_data(
        "Partnership overall",
        ["Shared purpose", "Trust across organisations"],
        bands=[(0, "7.99", "Early days"), (8, 16, "Going well")],
    )
    data = admin.instrument_form_data(composites=[total], **{"action-publish": "action-publish"})

    response = editor_client.post(admin.ADD_URL, data)

    assert response.status_code == 302, admin.page_text(response)
    instrument = Instrument.objects.get(slug="working-across-boundaries")
    q1, q2, q3, q4, q5 = keys_of(instrument)
    attempt = services.response_start(learner=learner, instrument=instrument)
    submitted = services.response_submit(
        response=attempt, answers={q1: 2, q2: 3, q3: 2, q4: 1, q5: 3}
    )
    overall = submitted.scores.get(is_composite=True)
    # 5 for shared purpose plus 70/9 (7.7778) for trust: 115/9, stored as 12.7778.
    assert (overall.name, overall.scaled_score) == ("Partnership overall", Decimal("12.7778"))
    assert (overall.minimum, overall.maximum, overall.band_label) == (0, 16, "Going well")


@pytest.mark.django_db
def test_the_editor_refuses_a_combined_score_of_a_missing_dimension(editor_client):
    total = composite_data("Overall", ["Shared purpose", "Curiosity"])

    response = editor_client.post(admin.ADD_URL, admin.instrument_form_data(composites=[total]))

    assert response.status_code == 200
    assert (
        "Overall: “Curiosity” is not one of this instrument's dimensions. A combined score can "
        "combine dimensions only."
    ) in admin.page_text(response)
    assert not Instrument.objects.exists()


@pytest.mark.django_db
def test_the_editor_refuses_a_combined_score_of_one_dimension(editor_client):
    total = composite_data("Overall", ["Shared purpose"])

    response = editor_client.post(admin.ADD_URL, admin.instrument_form_data(composites=[total]))

    assert response.status_code == 200
    assert not Instrument.objects.exists()
    assert "Overall: combine at least two dimensions." in admin.page_text(response)


@pytest.mark.django_db
def test_the_result_pdf_lists_the_combined_score(learner):
    instrument = checked_instrument()
    submitted = submit_sums(learner, instrument, 9, 6)

    response = signed_in(learner).get(
        reverse("assessments:result_pdf", kwargs={"pk": submitted.pk})
    )
    detail = selectors.result_detail(learner, selectors.submitted_result(learner, submitted.pk))
    data = pdf.render_pdf(detail, learner_name="Ada Lovelace", compress=False)

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert data.index(b"(Trust)") < data.index(b"(Conflict)") < data.index(b"(Overall)")
    assert b"(15 out of 18)" in data


# The cohort dashboard ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cohort_dashboard_shows_the_combined_scores_mean():
    """Leads see each dimension's mean, and the combined score's after them, from the stored
    scores: no change was needed in cohorts/, which reads every stored score in order."""
    from cohorts import dashboard
    from tests.cohorts.factories import add_members, make_cohort, make_lead

    lead = make_lead()
    cohort = make_cohort(lead=lead)
    people = [UserFactory() for _ in range(3)]
    add_members(cohort, people)
    instrument = checked_instrument()
    for person, (trust, conflict) in zip(people, [(9, 6), (7, 8), (5, 5)], strict=True):
        submit_sums(person, instrument, trust, conflict)

    (summary,) = dashboard.assessment_summaries(
        dashboard.permissions.visible_memberships(lead, cohort)
    )

    assert [item.name for item in summary.dimensions] == ["Trust", "Conflict", "Overall"]
    overall = summary.dimensions[-1]
    assert overall.responses == 3
    assert overall.mean == pytest.approx((15 + 15 + 10) / 3)
    assert (overall.minimum, overall.maximum) == (6, 18)


@pytest.mark.django_db
def test_a_team_report_without_bands_does_not_explain_banding():
    instrument = build_instrument(
        slug="unbanded",
        kind=Instrument.Kind.TEAM,
        scale=USUALLY,
        dimensions=TRUST_AND_CONFLICT,
        sections=QUESTIONS,
    )
    team, creator = team_with(instrument, [(8, 9), (8, 6), (7, 6)])

    text = page_text(signed_in(creator).get(f"/assessments/teams/{team.pk}/report/"))

    assert "Trust Scores run from 3 to 9 Mean 7.7 Lowest 7 Highest 8 Band of the mean –" in text
    assert "How the team's band is chosen" not in text
    assert "counts as" not in text


@pytest.mark.django_db
def test_the_statistics_page_shows_the_combined_score_without_questions(editor_client):
    instrument = checked_instrument()
    for trust, conflict in [(9, 6), (7, 8), (5, 5)]:
        submit_sums(UserFactory(), instrument, trust, conflict)

    response = editor_client.get(admin.statistics_url(instrument))

    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert response.status_code == 200
    assert "Overall Combined score The sum of the scores for Trust and Conflict." in text
    assert "Scores for Overall Responses Mean Standard deviation Lowest Highest" in text
    assert "Questions in Overall" not in text
    assert "Questions in Trust" in text
