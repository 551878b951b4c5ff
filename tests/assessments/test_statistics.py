"""Statistics for editors: counts, means, spreads, answer counts and Cronbach's alpha per
dimension, worked out by hand; the anonymous export's rows; fixed query counts."""

import math
from decimal import Decimal

import pytest

from assessments import scoring, statistics
from assessments.models import Instrument
from tests.factories import UserFactory

from .factories import keys_of, submit

pytestmark = pytest.mark.django_db


def submit_trust(instrument, trust, conflict=2):
    """A response whose Trust questions score `trust` (keyed values, in question order).

    Trust's questions are 1, 3 (reverse-keyed) and 5 on Usually 3 / Sometimes 2 / Rarely 1,
    so a keyed value k on question 3 is the answer 4 - k. Conflict's questions all get
    `conflict`.
    """
    q1, q2, q3, q4, q5, q6 = keys_of(instrument)
    a, b, c = trust
    return submit(
        UserFactory(),
        instrument,
        lambda index, key: {q1: a, q3: 4 - b, q5: c}.get(key, conflict),
    )


def test_counts_means_spreads_and_answer_counts(instrument):
    # Three learners answer every question with one value: Usually (3), Sometimes (2),
    # Rarely (1). Question 3 is reverse-keyed, so it scores 4 - value.
    for value in (3, 2, 1):
        submit(UserFactory(), instrument, value)

    stats = statistics.instrument_statistics(instrument)

    assert stats.response_count == 3
    assert stats.revision_count == 1
    assert stats.has_live_version
    assert stats.ignored_answers == 0
    trust, conflict = stats.dimensions
    assert (trust.name, conflict.name) == ("Trust", "Conflict")
    assert (trust.minimum, trust.maximum) == (3, 9)
    # Trust = v + (4 - v) + v = v + 4: 7, 6 and 5. Mean 6; squared deviations 1 + 0 + 1 = 2,
    # over n - 1 = 2: variance 1, standard deviation 1.
    assert trust.summary.count == 3
    assert trust.summary.mean == pytest.approx(6)
    assert trust.summary.spread == pytest.approx(1)
    assert (trust.summary.minimum, trust.summary.maximum) == (5, 7)

    first, reversed_item, last = trust.items
    assert [item.number for item in trust.items] == [1, 3, 5]
    assert reversed_item.reverse and not first.reverse
    # Question 1 scores 3, 2, 1: mean 2, spread 1.
    assert first.summary.mean == pytest.approx(2) and first.summary.spread == pytest.approx(1)
    # Question 3 scores 4 - v: 1, 2, 3, also mean 2, spread 1; answered once each.
    assert [item.summary.count for item in trust.items] == [3, 3, 3]
    assert [(o.label, o.count) for o in reversed_item.distribution] == [
        ("Usually", 1),
        ("Sometimes", 1),
        ("Rarely", 1),
    ]
    # Two questions in three, below ten responses: no alpha yet.
    assert trust.alpha_applies and not trust.alpha_shown
    assert trust.alpha is None
    assert trust.responses_needed_for_alpha == 7


def test_reverse_keying_shows_in_item_means_not_in_answer_counts(instrument, settings):
    settings.MIN_GROUP_SIZE = 2
    for _ in range(2):
        submit(UserFactory(), instrument, 3)  # Usually throughout

    trust = statistics.instrument_statistics(instrument).dimensions[0]

    first, reversed_item, _last = trust.items
    assert first.summary.mean == 3 and reversed_item.summary.mean == 1
    assert first.summary.spread == 0
    assert [o.count for o in reversed_item.distribution] == [2, 0, 0]  # as answered


def test_cronbach_alpha_worked_by_hand(instrument):
    # Trust's three questions, keyed values, for ten respondents:
    #   4 x (3, 3, 3)  total 9
    #   4 x (1, 1, 1)  total 3
    #   1 x (3, 1, 1)  total 5
    #   1 x (1, 3, 3)  total 7
    # Each question has five 3s and five 1s: mean 2, squared deviations 10 x 1 = 10, sample
    # variance 10/9. Summed over the three questions: 30/9.
    # Totals: mean (36 + 12 + 5 + 7) / 10 = 6; squared deviations 4 x 9 + 4 x 9 + 1 + 1 = 74,
    # sample variance 74/9.
    # alpha = k / (k - 1) x (1 - sum of item variances / total variance)
    #       = 3/2 x (1 - (30/9) / (74/9)) = 3/2 x 44/74 = 33/37 = 0.8919
    rows = [(3, 3, 3)] * 4 + [(1, 1, 1)] * 4 + [(3, 1, 1), (1, 3, 3)]
    for row in rows:
        submit_trust(instrument, row)

    stats = statistics.instrument_statistics(instrument)

    trust, conflict = stats.dimensions
    assert trust.complete_responses == 10
    assert trust.alpha_shown
    assert trust.alpha == pytest.approx(33 / 37)
    assert trust.alpha == pytest.approx(scoring.cronbach_alpha(rows))
    # The Trust scores are the totals: mean 6, spread sqrt(74/9).
    assert trust.summary.mean == pytest.approx(6)
    assert trust.summary.spread == pytest.approx(math.sqrt(74 / 9))
    # Everyone gave Conflict the same total (2 + 2 + (4 - 2) = 6): alpha is undefined.
    assert conflict.alpha_shown and conflict.alpha is None
    assert conflict.summary.spread == 0


def test_alpha_is_hidden_with_nine_complete_responses(instrument):
    rows = [(3, 3, 3)] * 4 + [(1, 1, 1)] * 4 + [(3, 1, 1)]
    for row in rows:
        submit_trust(instrument, row)

    trust = statistics.instrument_statistics(instrument).dimensions[0]

    assert trust.complete_responses == 9
    assert not trust.alpha_shown and trust.alpha is None
    assert trust.responses_needed_for_alpha == 1


def test_alpha_needs_two_questions(db):
    from .factories import build_instrument, dimension

    instrument = build_instrument(
        slug="one-question",
        dimensions=[dimension("Trust", rule="sum")],
        sections=[("Only", [("We trust each other.", "Trust")])],
    )
    for value in [1, 2, 3] * 4:
        submit(UserFactory(), instrument, value)

    trust = statistics.instrument_statistics(instrument).dimensions[0]

    assert not trust.alpha_applies and not trust.alpha_shown
    assert trust.complete_responses == 12


def publish_without(instrument, *, drop_last=False, rename_first=None):
    """Publish a new revision: the last question removed and/or the first one reworded.

    Dropping the last question (Conflict's third) leaves Conflict scoring 2 to 6, so its
    bands move to 5-6, 4 and 2-3.
    """
    instrument = Instrument.objects.get(pk=instrument.pk)
    if drop_last:
        del instrument.items[-1]
        bands = instrument.dimensions[1].value["bands"]
        for band, (lower, upper) in zip(bands, [(5, 6), (4, 4), (2, 3)], strict=True):
            band["lower"], band["upper"] = Decimal(lower), Decimal(upper)
    if rename_first:
        first = next(i for i, block in enumerate(instrument.items) if block.block_type == "item")
        value = instrument.items[first].value
        value["text"] = rename_first
        instrument.items[first] = ("item", value, instrument.items[first].id)
    instrument.save_revision().publish()
    instrument.refresh_from_db()
    return instrument


def test_answers_to_questions_no_longer_live_are_left_out_and_counted(instrument):
    for value in (3, 1):
        submit(UserFactory(), instrument, value)
    instrument = publish_without(instrument, drop_last=True)
    submit(UserFactory(), instrument, 2)

    stats = statistics.instrument_statistics(
        Instrument.objects.select_related("live_revision").get(pk=instrument.pk)
    )

    assert stats.response_count == 3
    assert stats.revision_count == 2
    # The two earlier responses each answered the removed question 6.
    assert (stats.ignored_answers, stats.ignored_responses) == (2, 2)
    conflict = stats.dimensions[1]
    assert [item.number for item in conflict.items] == [2, 4]
    assert [item.summary.count for item in conflict.items] == [3, 3]
    # Stored scores stay as they were worked out: three Conflict scores.
    assert conflict.summary.count == 3


def test_statistics_cost_a_fixed_number_of_queries(instrument, django_assert_num_queries):
    def add(count):
        for number in range(count):
            submit_trust(instrument, (number % 3 + 1, (number + 1) % 3 + 1, number % 3 + 1))

    add(10)
    loaded = Instrument.objects.select_related("live_revision").get(pk=instrument.pk)
    with django_assert_num_queries(3):
        small = statistics.instrument_statistics(loaded)
    add(30)
    with django_assert_num_queries(3):
        large = statistics.instrument_statistics(loaded)
    assert (small.response_count, large.response_count) == (10, 40)
    assert large.dimensions[0].alpha_shown


def test_no_responses_give_empty_figures(instrument, django_assert_num_queries):
    loaded = Instrument.objects.select_related("live_revision").get(pk=instrument.pk)
    with django_assert_num_queries(1):
        stats = statistics.instrument_statistics(loaded)
    assert stats.response_count == 0
    assert all(d.summary.count == 0 and d.summary.mean is None for d in stats.dimensions)
    assert all(d.responses_needed_for_alpha == 10 for d in stats.dimensions)


# The anonymous export -------------------------------------------------------------------------


def test_export_describes_each_answer_by_the_version_it_was_answered_on(
    instrument, django_assert_num_queries, settings
):
    settings.MIN_GROUP_SIZE = 2
    old = submit(UserFactory(), instrument, 3)
    instrument = publish_without(instrument, rename_first="We own up to our mistakes.")
    new = submit(UserFactory(), instrument, 1)

    order = {old.pk: 1, new.pk: 2}
    with django_assert_num_queries(3):
        rows = list(statistics.export_rows(instrument, order_key=order.__getitem__))

    assert len(rows) == 12
    headings = statistics.EXPORT_HEADINGS
    records = [dict(zip(headings, row, strict=True)) for row in rows]
    first_of_old, first_of_new = records[0], records[6]
    assert first_of_old == {
        "respondent": 1,
        "revision": old.revision_id,
        "question_number": 1,
        "question_id": keys_of(instrument)[0],
        "dimension": "Trust",
        "question": "We admit our mistakes to each other.",
        "reverse_keyed": "no",
        "answer_label": "Usually",
        "answer_value": 3,
        "scored_value": 3,
    }
    assert first_of_new["respondent"] == 2
    assert first_of_new["revision"] == new.revision_id != old.revision_id
    assert first_of_new["question"] == "We own up to our mistakes."
    reversed_row = records[8]  # the new respondent's question 3, answered Rarely (1)
    assert (reversed_row["reverse_keyed"], reversed_row["answer_value"]) == ("yes", 1)
    assert reversed_row["scored_value"] == 3


def test_export_numbers_respondents_in_a_random_order(instrument):
    # Each respondent answers in their own pattern (the bits of their number), so their rows
    # can be recognised in the file whatever number they were given.
    for number in range(12):
        submit(UserFactory(), instrument, lambda index, key, n=number: ((n >> index) & 1) + 1)

    first_patterns = set()
    for _ in range(10):
        rows = list(statistics.export_rows(instrument))
        numbers = [row[0] for row in rows]
        assert numbers == sorted(numbers)  # the file runs from respondent 1 to N
        assert sorted(set(numbers)) == list(range(1, 13))
        first_patterns.add(tuple(row[8] for row in rows if row[0] == 1))
    # The first to submit is not always respondent 1 (chance of that: 1 in 12 to the 9th).
    assert len(first_patterns) > 1
