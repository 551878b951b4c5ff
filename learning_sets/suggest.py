"""Suggest how to split a cohort's members into action-learning sets.

Pure and deterministic: people in, groups out, no ORM and no randomness. The same people
(in any order) and the same bounds always give the same sets.

What a good split means, in order:

1. Every set holds between `smallest` and `largest` people, and everyone is placed once.
2. Organisations are spread as widely as the bounds allow: the most colleagues from one
   organisation that share a set is as low as any split could make it. In particular, no
   two people from one organisation share a set whenever some other split avoids it.
   Among the numbers of sets that achieve that, the fewest sets (the largest groups) win.
3. For that number of sets, each organisation's people are spread as evenly as possible
   over the sets (so the pairs of colleagues who share a set are as few as possible).
4. Then job roles are spread: people of one organisation swap sets (which changes
   nothing about organisations or sizes) where that means fewer people with the same
   job role sharing a set.

How: people are dealt round the sets like cards, one organisation after another (the
largest first), so each organisation's people land in consecutive, and so different,
sets, and the sizes differ by one at most. Then a bounded pass of swaps spreads the job
roles. The work grows in step with the number of people (see `Suggestion.evaluations`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# How many same-organisation partners each person is compared with, at most, in one pass
# of the job-role swaps, and how many passes run: the bound on the work per person.
SWAP_CANDIDATES = 40
SWAP_PASSES = 3


@dataclass(frozen=True)
class Person:
    """One person to place: a stable id, their organisation (any hashable key, or None
    when unknown) and their job role (compared without case or spacing)."""

    id: int
    organisation: Hashable | None = None
    job_role: str = ""


@dataclass(frozen=True)
class Suggestion:
    """The suggested sets, each a tuple of person ids in ascending order, largest set
    first. `evaluations` counts the swaps considered (a measure of the work done)."""

    groups: tuple[tuple[int, ...], ...]
    evaluations: int = field(default=0, compare=False)

    @property
    def sizes(self) -> list[int]:
        return [len(group) for group in self.groups]


class SuggestionRefused(ValueError):
    """No split fits the bounds; the message says why, for the person asking."""


def _organisation_key(person: Person) -> Hashable:
    # Someone with no organisation is their own organisation: nobody is their colleague.
    return ("org", person.organisation) if person.organisation is not None else ("id", person.id)


def _role_key(person: Person) -> str:
    return " ".join(person.job_role.split()).casefold()


def feasible_set_counts(people: int, smallest: int, largest: int) -> range:
    """The numbers of sets that `people` can fill within the bounds (maybe none)."""
    if people <= 0:
        return range(0)
    return range(math.ceil(people / largest), people // smallest + 1)


def _refusal(people: int, smallest: int, largest: int) -> SuggestionRefused:
    if people == 0:
        return SuggestionRefused(_("There is nobody to place in a set."))
    if people < smallest:
        return SuggestionRefused(
            ngettext(
                "There is only %(people)s person to place, fewer than the smallest set "
                "(%(smallest)s). Make a set by hand, or change the set sizes in the "
                "cohort's settings.",
                "There are only %(people)s people to place, fewer than the smallest set "
                "(%(smallest)s). Make a set by hand, or change the set sizes in the "
                "cohort's settings.",
                people,
            )
            % {"people": people, "smallest": smallest}
        )
    return SuggestionRefused(
        _(
            "%(people)s people cannot all be placed in sets of %(smallest)s to %(largest)s "
            "people. Change the set sizes in the cohort's settings, or place some people "
            "by hand."
        )
        % {"people": people, "smallest": smallest, "largest": largest}
    )


def choose_set_count(people: Sequence[Person], smallest: int, largest: int) -> int:
    """How many sets: the fewest that keep the most colleagues sharing a set as low as
    any feasible number of sets can."""
    counts = feasible_set_counts(len(people), smallest, largest)
    if not counts:
        raise _refusal(len(people), smallest, largest)
    biggest_organisation = max(Counter(map(_organisation_key, people)).values())
    best = min(math.ceil(biggest_organisation / count) for count in counts)
    return next(count for count in counts if math.ceil(biggest_organisation / count) == best)


def _dealing_order(people: Sequence[Person]) -> list[Person]:
    """Organisations largest first (ties by key), each one's people grouped by job role
    (commonest first), then by id: the order the cards are dealt in."""
    by_organisation: dict[Hashable, list[Person]] = defaultdict(list)
    for person in people:
        by_organisation[_organisation_key(person)].append(person)
    role_counts = Counter(map(_role_key, people))
    order: list[Person] = []
    for _key, members in sorted(
        by_organisation.items(), key=lambda item: (-len(item[1]), repr(item[0]))
    ):
        order.extend(
            sorted(members, key=lambda p: (-role_counts[_role_key(p)], _role_key(p), p.id))
        )
    return order


def _spread_roles(sets: list[list[Person]]) -> int:
    """Swap people of one organisation between sets where that leaves fewer same-role
    pairs; returns how many swaps were considered. Organisations and sizes are unchanged."""
    where: dict[int, int] = {}
    roles: list[Counter[str]] = []
    for index, members in enumerate(sets):
        roles.append(Counter(map(_role_key, members)))
        for person in members:
            where[person.id] = index
    colleagues: dict[Hashable, list[Person]] = defaultdict(list)
    for members in sets:
        for person in members:
            colleagues[_organisation_key(person)].append(person)
    for group in colleagues.values():
        group.sort(key=lambda p: p.id)

    evaluations = 0
    for _pass in range(SWAP_PASSES):
        improved = False
        for group in colleagues.values():
            if len(group) < 2:
                continue
            for position, person in enumerate(group):
                here = where[person.id]
                role = _role_key(person)
                if roles[here][role] < 2:
                    continue
                for step in range(1, min(len(group), SWAP_CANDIDATES + 1)):
                    other = group[(position + step) % len(group)]
                    there = where[other.id]
                    other_role = _role_key(other)
                    if there == here or other_role == role:
                        continue
                    evaluations += 1
                    gain = (
                        (roles[here][role] - 1)
                        - roles[here][other_role]
                        + (roles[there][other_role] - 1)
                        - roles[there][role]
                    )
                    if gain > 0:
                        roles[here][role] -= 1
                        roles[here][other_role] += 1
                        roles[there][other_role] -= 1
                        roles[there][role] += 1
                        where[person.id], where[other.id] = there, here
                        improved = True
                        break
        if not improved:
            break
    placed: list[list[Person]] = [[] for _ in sets]
    for members in sets:
        for person in members:
            placed[where[person.id]].append(person)
    sets[:] = placed
    return evaluations


def suggest_sets(people: Iterable[Person], *, smallest: int, largest: int) -> Suggestion:
    """Split `people` into sets of `smallest` to `largest` people (see the module's
    docstring for what is optimised). Raises `SuggestionRefused` if no split fits."""
    if smallest < 1 or largest < smallest:
        raise SuggestionRefused(_("The smallest set cannot be larger than the largest."))
    unique = {person.id: person for person in people}
    ordered = sorted(unique.values(), key=lambda p: p.id)
    set_count = choose_set_count(ordered, smallest, largest)
    sets: list[list[Person]] = [[] for _ in range(set_count)]
    for position, person in enumerate(_dealing_order(ordered)):
        sets[position % set_count].append(person)
    evaluations = _spread_roles(sets)
    groups = sorted(
        (tuple(sorted(person.id for person in members)) for members in sets),
        key=lambda group: (-len(group), group),
    )
    return Suggestion(groups=tuple(groups), evaluations=evaluations)


# Measures of a split, shared by the tests and the preview ------------------------------


def most_colleagues_together(groups: Iterable[Iterable[Person]]) -> int:
    """The most people from one organisation in any one set."""
    return max(
        (max(Counter(map(_organisation_key, group)).values(), default=0) for group in groups),
        default=0,
    )


def colleague_pairs(groups: Iterable[Iterable[Person]]) -> int:
    """How many pairs of people from one organisation share a set."""
    return sum(
        math.comb(count, 2)
        for group in groups
        for count in Counter(map(_organisation_key, group)).values()
    )


def role_pairs(groups: Iterable[Iterable[Person]]) -> int:
    """How many pairs of people with the same job role share a set."""
    return sum(
        math.comb(count, 2) for group in groups for count in Counter(map(_role_key, group)).values()
    )
