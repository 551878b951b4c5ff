"""Services for taking a self-assessment: start, save, submit and share, and what they refuse."""

import copy
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import definitions, services
from assessments.models import Answer, DimensionScore, Instrument, Response
from tests.factories import UserFactory

from .factories import (
    answers,
    dimension,
    forty_item_instrument,
    keys_of,
    small_instrument,
    submit,
)

pytestmark = pytest.mark.django_db


def nothing_written(response: Response | None = None) -> None:
    if response is None:
        assert not Response.objects.exists()
    else:
        response.refresh_from_db()
        assert response.status == Response.Status.DRAFT
        assert response.revision_id is None
    assert not Answer.objects.exists()
    assert not DimensionScore.objects.exists()


def republish(instrument: Instrument, *, text: str, bands: list[tuple]) -> Instrument:
    """Publish a new revision that keeps every block id but rewords the first question and
    replaces every dimension's bands."""
    items = [copy.deepcopy(dict(block)) for block in instrument.items.raw_data]
    first_item = next(block for block in items if block["type"] == "item")
    first_item["value"]["text"] = text
    dimensions = [copy.deepcopy(dict(block)) for block in instrument.dimensions.raw_data]
    for block in dimensions:
        block["value"]["bands"] = [
            {"type": "item", "value": spec, "id": None}
            for spec in dimension("x", bands=bands)["bands"]
        ]
    instrument.items = items
    instrument.dimensions = dimensions
    instrument.full_clean()
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    return instrument


# Start ----------------------------------------------------------------------------------


def test_start_creates_one_draft_and_returns_it_again(learner, instrument):
    first = services.response_start(learner=learner, instrument=instrument)
    again = services.response_start(learner=learner, instrument=instrument)

    assert first.pk == again.pk
    assert first.status == Response.Status.DRAFT
    assert Response.objects.count() == 1


def test_start_refuses_an_instrument_that_was_never_published(learner):
    draft = small_instrument(publish=False)

    with pytest.raises(services.InstrumentUnavailable):
        services.response_start(learner=learner, instrument=draft)

    nothing_written()


def test_start_refuses_a_team_instrument_without_a_team(learner, team_instrument):
    with pytest.raises(services.JoinRefused):
        services.response_start(learner=learner, instrument=team_instrument)

    nothing_written()


# Save -----------------------------------------------------------------------------------


def test_answers_save_keeps_a_draft_and_replaces_earlier_answers(learner, instrument):
    response = services.response_start(learner=learner, instrument=instrument)
    first, second, *_rest = keys_of(instrument)

    services.answers_save(response=response, answers={first: 1, second: 2})
    services.answers_save(response=response, answers={first: 3})

    assert dict(response.answers.values_list("item_key", "value")) == {first: 3, second: 2}
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_a_draft_resumes_with_its_answers(learner, instrument):
    """Save, leave (a new start), come back: the same draft with the answers saved."""
    response = services.response_start(learner=learner, instrument=instrument)
    first = keys_of(instrument)[0]
    services.answers_save(response=response, answers={first: 2})

    resumed = services.response_start(learner=learner, instrument=instrument)

    assert resumed.pk == response.pk
    assert dict(resumed.answers.values_list("item_key", "value")) == {first: 2}


@pytest.mark.parametrize("value", [0, 4, -1, 99])
def test_values_off_the_scale_are_refused_and_nothing_is_written(learner, instrument, value):
    response = services.response_start(learner=learner, instrument=instrument)
    first, second, *_rest = keys_of(instrument)

    with pytest.raises(services.InvalidAnswers) as refused:
        services.answers_save(response=response, answers={first: 2, second: value})

    assert refused.value.errors == {second: "Choose one of the answers offered."}
    nothing_written(response)


def test_answers_for_another_instruments_questions_are_refused(learner, instrument):
    other = small_instrument(slug="other", title="Other")
    response = services.response_start(learner=learner, instrument=instrument)
    stranger = keys_of(other)[0]

    with pytest.raises(services.InvalidAnswers) as refused:
        services.answers_save(response=response, answers={keys_of(instrument)[0]: 2, stranger: 2})

    assert list(refused.value.errors) == [stranger]
    nothing_written(response)
    with pytest.raises(services.InvalidAnswers):
        services.response_submit(response=response, answers=answers(other, 2))
    nothing_written(response)


# Submit ---------------------------------------------------------------------------------


def test_submit_scores_pins_the_live_revision_and_stores_the_scores(learner, instrument):
    response = submit(learner, instrument, value=3)

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_at is not None
    assert response.revision_id == instrument.live_revision_id
    scores = list(response.scores.values_list("name", "raw_score", "band_label"))
    # Each dimension: two "Usually" (3) and one reverse-keyed "Usually" (1) = 7.
    assert scores == [
        ("Trust", Decimal("7.0000"), "Could be a problem"),
        ("Conflict", Decimal("7.0000"), "Could be a problem"),
    ]
    assert response.answers.count() == 6


def test_submit_with_unanswered_questions_keeps_the_answers_and_lists_the_missing(
    learner, instrument
):
    response = services.response_start(learner=learner, instrument=instrument)
    keys = keys_of(instrument)

    with pytest.raises(services.IncompleteAnswers) as incomplete:
        services.response_submit(response=response, answers={keys[0]: 3, keys[2]: 1})

    assert incomplete.value.missing == (keys[1], keys[3], keys[4], keys[5])
    assert dict(response.answers.values_list("item_key", "value")) == {keys[0]: 3, keys[2]: 1}
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
    assert not DimensionScore.objects.exists()


def test_a_second_submit_is_refused_and_changes_nothing(learner, instrument):
    response = submit(learner, instrument, value=3)
    stored = list(DimensionScore.objects.values_list("pk", "raw_score"))

    with pytest.raises(services.AlreadySubmitted):
        services.response_submit(response=response, answers=answers(instrument, 1))
    with pytest.raises(services.AlreadySubmitted):
        services.answers_save(response=response, answers=answers(instrument, 1))

    assert Response.objects.count() == 1
    assert set(Answer.objects.values_list("value", flat=True)) == {3}
    assert list(DimensionScore.objects.values_list("pk", "raw_score")) == stored


def test_a_withdrawn_instrument_refuses_submission_and_writes_nothing(learner, instrument):
    response = services.response_start(learner=learner, instrument=instrument)
    instrument.unpublish()

    with pytest.raises(services.InstrumentUnavailable):
        services.response_submit(response=response, answers=answers(instrument, 3))
    with pytest.raises(services.InstrumentUnavailable):
        services.response_start(learner=learner, instrument=instrument)

    nothing_written(response)


def test_an_unpublished_draft_revision_is_not_what_learners_answer(learner, instrument):
    """Editors' unpublished changes do not reach learners: submission pins the live one."""
    live_revision_id = instrument.live_revision_id
    instrument.title = "A draft title"
    instrument.save_revision()

    response = submit(learner, instrument, value=3)

    assert response.revision_id == live_revision_id
    assert Instrument.objects.get(pk=instrument.pk).has_unpublished_changes


def test_publishing_a_new_revision_never_changes_a_past_result(learner, instrument):
    response = submit(learner, instrument, value=3)
    pinned = response.revision_id
    stored = list(
        response.scores.values_list("dimension_key", "raw_score", "band_label", "band_index")
    )
    original_text = instrument.questionnaire().questions[0].text

    republish(instrument, text="A reworded first question.", bands=[(3, 9, "All the same")])

    response.refresh_from_db()
    assert instrument.live_revision_id != pinned
    assert instrument.questionnaire().questions[0].text == "A reworded first question."
    assert response.revision_id == pinned
    assert (
        list(response.scores.values_list("dimension_key", "raw_score", "band_label", "band_index"))
        == stored
    )
    as_answered = definitions.for_revision(response.revision, Instrument)
    assert as_answered.questions[0].text == original_text
    assert [band.label for band in as_answered.dimensions[0].bands] == [
        "Probably a strength",
        "Could be a problem",
        "Needs attention",
    ]
    # The next attempt is scored and pinned on the new revision.
    later = submit(learner, instrument, value=3)
    assert later.revision_id == instrument.live_revision_id
    assert set(later.scores.values_list("band_label", flat=True)) == {"All the same"}


# Share ----------------------------------------------------------------------------------


def test_share_is_off_by_default_and_only_for_ones_own_submitted_result(
    learner, other_learner, instrument
):
    response = submit(learner, instrument)
    assert response.shared_with_leads is False

    services.response_share(learner=learner, response=response, shared=True)
    assert Response.objects.get(pk=response.pk).shared_with_leads is True

    with pytest.raises(services.AssessmentError):
        services.response_share(learner=other_learner, response=response, shared=False)
    assert Response.objects.get(pk=response.pk).shared_with_leads is True

    draft = services.response_start(learner=learner, instrument=instrument)
    with pytest.raises(services.AssessmentError):
        services.response_share(learner=learner, response=draft, shared=True)


# Queries --------------------------------------------------------------------------------


# One transaction: lock the response (reading its instrument in the same query), one bulk
# upsert of the answers, one bulk insert of the scores, one update of the response. Four
# statements, plus a savepoint and its release (inside the test's own transaction).
SUBMIT_QUERIES = 6
# Submitting the last page after saving the others: the saved answers are read back too.
SUBMIT_AFTER_SAVING_QUERIES = SUBMIT_QUERIES + 1
# The first submission of a revision in a process reads the revision to build and cache its
# questionnaire: one query more, once.
SUBMIT_COLD_CACHE_QUERIES = SUBMIT_QUERIES + 1


def warm(instrument: Instrument) -> None:
    """Cache the live revision's questionnaire, as any earlier request in the process has."""
    definitions.for_live(instrument)


def earlier_attempts(learner, instrument: Instrument, count: int) -> None:
    for number in range(count):
        submit(learner, instrument, value=number % 5 + 1)


@pytest.mark.parametrize("earlier", [0, 6])
@pytest.mark.parametrize("size", [8, 40])
def test_submitting_takes_a_fixed_number_of_queries(
    learner, size, earlier, django_assert_num_queries
):
    """The same for 8 or 40 questions, after no or six earlier attempts."""
    instrument = forty_item_instrument(size)
    earlier_attempts(learner, instrument, earlier)
    warm(instrument)
    response = services.response_start(learner=learner, instrument=instrument)
    given = answers(instrument, lambda index, _key: index % 5 + 1)

    with django_assert_num_queries(SUBMIT_QUERIES):
        services.response_submit(response=response, answers=given)

    assert response.answers.count() == size
    assert response.scores.count() == 4
    assert Response.objects.submitted().filter(learner=learner).count() == earlier + 1


@pytest.mark.parametrize("earlier", [0, 6])
@pytest.mark.parametrize("size", [8, 40])
def test_submitting_the_last_page_after_saving_the_others_takes_one_more_query(
    learner, size, earlier, django_assert_num_queries
):
    instrument = forty_item_instrument(size)
    earlier_attempts(learner, instrument, earlier)
    warm(instrument)
    response = services.response_start(learner=learner, instrument=instrument)
    given = answers(instrument, 2)
    keys = list(given)
    services.answers_save(response=response, answers={key: given[key] for key in keys[:-2]})

    with django_assert_num_queries(SUBMIT_AFTER_SAVING_QUERIES):
        services.response_submit(response=response, answers=dict.fromkeys(keys[-2:], 4))

    assert response.answers.count() == size
    assert sorted(response.answers.values_list("value", flat=True)) == [2] * (size - 2) + [4, 4]
    assert response.scores.count() == 4


def test_the_submit_query_count_names_each_statement(learner):
    """The statements behind SUBMIT_QUERIES, so a change in them is easy to see."""
    instrument = forty_item_instrument(40)
    warm(instrument)
    response = services.response_start(learner=learner, instrument=instrument)
    given = answers(instrument, 4)

    with CaptureQueriesContext(connection) as queries:
        services.response_submit(response=response, answers=given)

    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements == ["SAVEPOINT", "SELECT", "INSERT", "INSERT", "UPDATE", "RELEASE"]
    lock = queries.captured_queries[1]["sql"]
    assert '"assessments_instrument"' in lock
    assert '"assessments_instrument"."items"' not in lock  # the cached questionnaire has it
    assert len(statements) == SUBMIT_QUERIES


@pytest.mark.parametrize("size", [8, 40])
def test_the_first_submission_of_a_revision_reads_it_once(learner, size, django_assert_num_queries):
    instrument = forty_item_instrument(size)
    definitions.forget_revision(instrument.live_revision_id)
    first, second = (
        services.response_start(learner=UserFactory(), instrument=instrument) for _ in range(2)
    )
    given = answers(instrument, 3)

    with django_assert_num_queries(SUBMIT_COLD_CACHE_QUERIES):
        services.response_submit(response=first, answers=given)
    with django_assert_num_queries(SUBMIT_QUERIES):
        services.response_submit(response=second, answers=given)


# The questionnaire cache -------------------------------------------------------------------


def test_submissions_build_the_questionnaire_once_per_live_revision(learner):
    instrument = forty_item_instrument(40)
    given = answers(instrument, 3)

    def submitted() -> Response:
        draft = services.response_start(learner=learner, instrument=instrument)
        return services.response_submit(response=draft, answers=given)

    with mock.patch("assessments.definitions.build", wraps=definitions.build) as build:
        for _ in range(3):
            submitted()
        assert build.call_count == 1
        republish(instrument, text="A reworded first question.", bands=[(1, 5, "Any")])
        build.reset_mock()
        later = submitted()
        assert build.call_count == 1

    assert later.revision_id == instrument.live_revision_id
    assert set(later.scores.values_list("band_label", flat=True)) == {"Any"}


def test_the_cached_questionnaire_is_what_the_live_instrument_says(instrument):
    assert definitions.for_live(instrument) == definitions.build(instrument)


def test_saving_a_revision_forgets_what_was_cached_under_its_id(instrument):
    """An id can come back after a rolled-back transaction; its content is then new."""
    revision = instrument.live_revision
    cached = definitions.for_revision(revision, Instrument)
    assert definitions.for_revision(revision, Instrument) is cached

    revision.save()

    assert definitions.for_revision(revision, Instrument) is not cached
