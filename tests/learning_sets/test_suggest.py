"""The set suggestion (`learning_sets/suggest.py`): pure, deterministic, and as good as
any split at spreading organisations, checked against every split of small groups."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learning_sets.suggest import (
    SWAP_CANDIDATES,
    SWAP_PASSES,
    Person,
    SuggestionRefused,
    colleague_pairs,
    feasible_set_counts,
    most_colleagues_together,
    role_pairs,
    suggest_sets,
)

ROLES = ["Ward manager", "Social worker", "Housing officer", "GP", "Volunteer coordinator"]


def people_strategy(max_people=40, organisations=6):
    return st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, organisations - 1)),
            st.sampled_from(ROLES),
        ),
        max_size=max_people,
    ).map(
        lambda rows: [
            Person(id=index + 1, organisation=org, job_role=role)
            for index, (org, role) in enumerate(rows)
        ]
    )


bounds = st.tuples(st.integers(2, 12), st.integers(2, 12)).map(sorted)


def as_people(suggestion, people):
    by_id = {person.id: person for person in people}
    return [[by_id[pk] for pk in group] for group in suggestion.groups]


def partitions(items):
    """Every way of splitting `items` into non-empty groups."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in partitions(rest):
        for index in range(len(partition)):
            yield [*partition[:index], [first, *partition[index]], *partition[index + 1 :]]
        yield [[first], *partition]


@given(people=people_strategy(), sizes=bounds)
@settings(max_examples=300, deadline=None)
def test_everyone_is_placed_once_within_the_bounds_whenever_a_split_exists(people, sizes):
    smallest, largest = sizes
    if not feasible_set_counts(len(people), smallest, largest):
        with pytest.raises(SuggestionRefused):
            suggest_sets(people, smallest=smallest, largest=largest)
        return

    suggestion = suggest_sets(people, smallest=smallest, largest=largest)

    placed = [pk for group in suggestion.groups for pk in group]
    assert sorted(placed) == sorted(person.id for person in people)
    assert all(smallest <= size <= largest for size in suggestion.sizes)


@given(people=people_strategy(), sizes=bounds, seed=st.integers(0, 1000))
@settings(max_examples=200, deadline=None)
def test_the_same_people_in_any_order_get_the_same_sets(people, sizes, seed):
    smallest, largest = sizes
    if not feasible_set_counts(len(people), smallest, largest):
        return
    shuffled = list(people)
    random.Random(seed).shuffle(shuffled)

    first = suggest_sets(people, smallest=smallest, largest=largest)
    again = suggest_sets(shuffled, smallest=smallest, largest=largest)

    assert first.groups == again.groups


@given(people=people_strategy(max_people=9, organisations=4), sizes=bounds)
@settings(max_examples=150, deadline=None)
def test_organisations_are_spread_as_well_as_any_split_could(people, sizes):
    """Brute force over every split of up to nine people: no split within the bounds puts
    fewer colleagues together, and none with as many sets has fewer colleague pairs."""
    smallest, largest = sizes
    if not feasible_set_counts(len(people), smallest, largest):
        return
    suggestion = suggest_sets(people, smallest=smallest, largest=largest)
    ours = as_people(suggestion, people)

    valid = [
        split
        for split in partitions(people)
        if all(smallest <= len(group) <= largest for group in split)
    ]
    assert valid
    best_together = min(most_colleagues_together(split) for split in valid)
    assert most_colleagues_together(ours) == best_together
    same_count = [split for split in valid if len(split) == len(ours)]
    assert colleague_pairs(ours) == min(colleague_pairs(split) for split in same_count)


def test_no_two_colleagues_share_a_set_when_a_split_avoids_it():
    # Three from the trust, three from the council, two from a charity: two sets of four
    # could hold two colleagues each, three sets (of 3, 3, 2... not allowed with 4 to 8)
    # cannot; with sets of 2 to 4, three sets avoid any colleagues together.
    people = [
        *(Person(id=i, organisation="trust") for i in (1, 2, 3)),
        *(Person(id=i, organisation="council") for i in (4, 5, 6)),
        *(Person(id=i, organisation="charity") for i in (7, 8)),
    ]

    wide = suggest_sets(people, smallest=2, largest=4)
    assert most_colleagues_together(as_people(wide, people)) == 1
    assert len(wide.groups) == 3

    narrow = suggest_sets(people, smallest=4, largest=8)
    assert narrow.sizes == [4, 4]
    assert most_colleagues_together(as_people(narrow, people)) == 2


def test_the_fewest_sets_are_used_when_organisations_are_spread_anyway():
    people = [Person(id=i, organisation=f"org {i}") for i in range(1, 17)]

    suggestion = suggest_sets(people, smallest=4, largest=8)

    assert suggestion.sizes == [8, 8]


def test_job_roles_are_spread_within_what_the_organisations_allow():
    # Two organisations, each with two ward managers and two social workers: two sets of
    # four can hold one of each role from each organisation.
    people = [
        Person(id=1, organisation="trust", job_role="Ward manager"),
        Person(id=2, organisation="trust", job_role="Ward manager"),
        Person(id=3, organisation="trust", job_role="Social worker"),
        Person(id=4, organisation="trust", job_role="Social worker"),
        Person(id=5, organisation="council", job_role="ward manager "),
        Person(id=6, organisation="council", job_role="Ward  manager"),
        Person(id=7, organisation="council", job_role="Social worker"),
        Person(id=8, organisation="council", job_role="Social worker"),
    ]

    suggestion = suggest_sets(people, smallest=4, largest=4)
    groups = as_people(suggestion, people)

    assert most_colleagues_together(groups) == 2
    assert role_pairs(groups) == 4  # each set: two ward managers, two social workers
    for group in groups:
        assert {p.organisation for p in group} == {"trust", "council"}
        assert sorted(" ".join(p.job_role.split()).lower() for p in group) == [
            "social worker",
            "social worker",
            "ward manager",
            "ward manager",
        ]


@given(people=people_strategy(max_people=60), sizes=bounds)
@settings(max_examples=100, deadline=None)
def test_the_role_swaps_never_undo_the_organisation_spread(people, sizes):
    smallest, largest = sizes
    if not feasible_set_counts(len(people), smallest, largest):
        return
    suggestion = suggest_sets(people, smallest=smallest, largest=largest)
    groups = as_people(suggestion, people)
    count = len(groups)

    biggest = (
        max(
            sum(1 for p in people if p.organisation == org)
            for org in {p.organisation for p in people if p.organisation is not None}
        )
        if any(p.organisation is not None for p in people)
        else 1
    )
    assert most_colleagues_together(groups) == max(1, math.ceil(biggest / count))


@pytest.mark.parametrize(
    ("people", "smallest", "largest", "message"),
    [
        (0, 4, 8, "There is nobody to place in a set."),
        (1, 4, 8, "There is only 1 person to place, fewer than the smallest set (4)."),
        (3, 4, 8, "There are only 3 people to place, fewer than the smallest set (4)."),
        (9, 5, 6, "9 people cannot all be placed in sets of 5 to 6 people."),
    ],
)
def test_splits_that_cannot_fit_are_refused_with_a_reason(people, smallest, largest, message):
    with pytest.raises(SuggestionRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
        suggest_sets(
            [Person(id=i, organisation="trust") for i in range(people)],
            smallest=smallest,
            largest=largest,
        )


def test_one_organisation_only_still_gets_sets_of_the_smallest_size():
    people = [Person(id=i, organisation="trust", job_role=ROLES[i % 5]) for i in range(1, 21)]

    suggestion = suggest_sets(people, smallest=4, largest=8)

    # Colleagues cannot be kept apart, so the most sets (the fewest colleagues together).
    assert suggestion.sizes == [4, 4, 4, 4, 4]
    assert role_pairs(as_people(suggestion, people)) == 0


def test_two_thousand_members_take_work_in_step_with_their_number():
    """The work is bounded per person (never a comparison of every pair): the number of
    swaps considered stays within SWAP_PASSES * SWAP_CANDIDATES a person, and the split
    is checked, not timed."""

    def cohort(size):
        return [
            Person(id=i, organisation=f"org {i % 8}", job_role=ROLES[(i // 8) % 5])
            for i in range(size)
        ]

    for size in (200, 2000):
        people = cohort(size)
        suggestion = suggest_sets(people, smallest=4, largest=8)
        assert sum(suggestion.sizes) == size
        assert suggestion.evaluations <= SWAP_PASSES * SWAP_CANDIDATES * size
        assert most_colleagues_together(as_people(suggestion, people)) == 1

    one_organisation = [Person(id=i, organisation="trust", job_role="Nurse") for i in range(2000)]
    lopsided = suggest_sets(one_organisation, smallest=4, largest=8)
    assert lopsided.evaluations == 0  # one role: nothing to swap
    assert all(size == 4 for size in lopsided.sizes)


def test_brute_force_helper_finds_every_split():
    # Bell numbers: 1, 1, 2, 5, 15, 52.
    assert [sum(1 for _ in partitions(list(range(n)))) for n in range(6)] == [1, 1, 2, 5, 15, 52]
    assert all(
        sorted(x for group in split for x in group) == [0, 1, 2, 3]
        for split in partitions([0, 1, 2, 3])
    )
