"""Reads for results: ranking, change, a learner's own attempts, history and shared results."""

from decimal import Decimal

import pytest

from assessments import selectors, services
from assessments.models import DimensionScore, Response
from tests.factories import UserFactory

from .factories import submit


def stored(name, score, minimum, maximum, position, key=None, band_label=""):
    return DimensionScore(
        dimension_key=key or name.lower(),
        position=position,
        name=name,
        raw_score=Decimal(score),
        scaled_score=Decimal(score),
        minimum=Decimal(minimum),
        maximum=Decimal(maximum),
        band_label=band_label,
    )


# Pure helpers ---------------------------------------------------------------------------


def test_ranked_compares_proportions_of_each_range_and_keeps_the_editors_order_for_ties():
    scores = [
        stored("Harmony", "6", "3", "9", position=0),  # half way
        stored("Focus", "4", "1", "5", position=1),  # three quarters
        stored("Empathy", "3", "1", "5", position=2),  # half way
        stored("Learner", "7.5", "0", "10", position=3),  # three quarters
        stored("Includer", "0", "0", "0", position=4),  # no range: counts as the bottom
    ]

    order = selectors.ranked(reversed(scores))

    assert [score.name for score in order] == ["Focus", "Learner", "Harmony", "Empathy", "Includer"]


@pytest.mark.parametrize(
    ("before", "after", "text", "words", "direction"),
    [
        ("2.5", "4", "+1.5", "up 1.5", "up"),
        ("4", "3.5", "\u22120.5", "down 0.5", "down"),
        ("3", "3", "no change", "no change", "same"),
        # Shown as 3.3 and 3.8 (one decimal place, halves up), so the change is 0.5,
        # as the learner can check from the two numbers, not 0.4167.
        ("3.3333", "3.75", "+0.5", "up 0.5", "up"),
        # 3.3333 and 3.3 are both shown as 3.3: no change that the page could explain.
        ("3.3333", "3.3", "no change", "no change", "same"),
    ],
)
def test_change_is_worked_out_from_the_scores_as_shown(before, after, text, words, direction):
    change = selectors.change_between(
        stored("Trust", before, "1", "5", 0), stored("Trust", after, "1", "5", 0)
    )

    assert (change.text, change.words, change.direction) == (text, words, direction)


# A learner's own results ----------------------------------------------------------------


@pytest.mark.django_db
def test_submitted_result_is_only_the_learners_own_submitted_response(
    learner, other_learner, instrument
):
    mine = submit(learner, instrument)
    theirs = submit(other_learner, instrument)
    draft = services.response_start(learner=learner, instrument=instrument)

    assert selectors.submitted_result(learner, mine.pk) == mine
    assert selectors.submitted_result(learner, theirs.pk) is None
    assert selectors.submitted_result(learner, draft.pk) is None
    assert selectors.draft_of(learner, draft.pk) == draft
    assert selectors.draft_of(other_learner, draft.pk) is None


@pytest.mark.django_db
def test_result_detail_compares_with_the_attempt_just_before_it(learner, other_learner, instrument):
    first = submit(learner, instrument, 1)  # 1 + 3 + 1 = 5 in each dimension
    second = submit(learner, instrument, 2)  # 6
    third = submit(learner, instrument, 3)  # 7
    submit(other_learner, instrument, 3)

    detail = selectors.result_detail(learner, selectors.submitted_result(learner, second.pk))

    assert [attempt.response.pk for attempt in detail.attempts] == [first.pk, second.pk, third.pk]
    assert detail.previous.pk == first.pk
    assert detail.number == 2
    trust = detail.rows[0]
    assert trust.score.name == "Trust"
    assert trust.change.text == "+1"
    assert trust.history_text == "5, 6, 7"
    assert trust.line.description == "Trust over 3 attempts: 5, 6, 7"
    assert [bar.previous_text for bar in detail.bars] == ["5", "5"]
    assert detail.top_five == ()

    earliest = selectors.result_detail(learner, selectors.submitted_result(learner, first.pk))
    assert earliest.previous is None
    assert not earliest.has_comparison
    assert earliest.has_history
    assert earliest.rows[0].change is None


@pytest.mark.django_db
def test_result_detail_keeps_teams_apart(learner, team_instrument):
    ward = services.team_create(learner=learner, instrument=team_instrument, name="Ward 7")
    clinic = services.team_create(learner=learner, instrument=team_instrument, name="Clinic")
    submit(learner, team_instrument, 2, team=ward)
    in_clinic = submit(learner, team_instrument, 4, team=clinic)

    detail = selectors.result_detail(learner, selectors.submitted_result(learner, in_clinic.pk))

    assert [attempt.response.pk for attempt in detail.attempts] == [in_clinic.pk]
    assert detail.previous is None


@pytest.mark.django_db
def test_history_lists_only_the_learners_own_attempts(learner, other_learner, instrument):
    older = submit(learner, instrument, 2)
    newer = submit(learner, instrument, 3)
    draft = services.response_start(learner=learner, instrument=instrument)
    submit(other_learner, instrument)
    services.response_start(learner=other_learner, instrument=instrument)

    history = selectors.history(learner)

    assert not history.is_empty
    assert [group.instrument for group in history.groups] == [instrument]
    assert [entry.response.pk for entry in history.groups[0].entries] == [newer.pk, older.pk]
    assert history.groups[0].entries[0].summary_label == "Highest scores"
    assert history.drafts == (draft,)
    assert selectors.history(UserFactory()).is_empty


# Shared results for cohort leads --------------------------------------------------------


@pytest.mark.django_db
def test_shared_results_are_only_shared_submitted_responses_of_the_learners_given(
    learner, other_learner, instrument
):
    shared = submit(learner, instrument, 3)
    services.response_share(learner=learner, response=shared, shared=True)
    submit(learner, instrument, 2)  # not shared
    theirs = submit(other_learner, instrument, 1)
    services.response_share(learner=other_learner, response=theirs, shared=True)
    services.response_start(learner=learner, instrument=instrument)  # a draft

    results = list(selectors.shared_results([learner.pk]))

    assert results == [shared]
    assert [score.name for score in results[0].scores.all()] == ["Trust", "Conflict"]
    both = selectors.shared_results(
        Response.objects.filter(pk__in=[shared.pk, theirs.pk]).values("learner_id")
    )
    assert {response.pk for response in both} == {shared.pk, theirs.pk}
    assert list(selectors.shared_results([])) == []


@pytest.mark.django_db
def test_shared_results_cost_two_queries_for_1_or_8_learners(instrument, django_assert_num_queries):
    """The responses with learner, instrument and team joined, then every score."""
    for size in (1, 8):
        learners = [UserFactory() for _number in range(size)]
        for person in learners:
            for value in (1, 3):
                response = submit(person, instrument, value)
                services.response_share(learner=person, response=response, shared=True)
        with django_assert_num_queries(2):
            results = list(selectors.shared_results([person.pk for person in learners]))
            for response in results:
                assert response.learner.email
                assert response.instrument.title
                assert len(response.scores.all()) == 2
        assert len(results) == 2 * size
