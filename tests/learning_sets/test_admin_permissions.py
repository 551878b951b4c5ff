"""`learning_sets.permissions`: which sets each kind of person may oversee, built on the
cohorts' one visibility rule, plus a facilitator's own set."""

import pytest
from django.contrib.auth.models import AnonymousUser

from learning_sets import services
from learning_sets.permissions import (
    cohort_set_for_lead,
    set_for_lead,
    unplaced_memberships,
    visible_sets,
)
from tests.cohorts.factories import add_members
from tests.factories import UserFactory

from .factories import make_people, make_set


@pytest.fixture
def world(cohort, lead, other_cohort, site_admin):
    people = make_people(8, organisations=4)
    ours = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    second = make_set(cohort, lead=lead, name="Set 2", members=people[4:])
    theirs = make_set(other_cohort, lead=other_cohort.leads.get(), name="Harbour set")
    services.set_facilitator_choose(learning_set=ours, user=lead, facilitator=people[0])
    return {
        "ours": ours,
        "second": second,
        "theirs": theirs,
        "people": people,
        "lead": lead,
        "other lead": other_cohort.leads.get(),
        "site admin": site_admin,
    }


def names(sets):
    return sorted(learning_set.name for learning_set in sets)


def test_each_person_oversees_exactly_the_sets_the_rule_allows(world):
    people = world["people"]

    assert names(visible_sets(world["lead"])) == ["Set 1", "Set 2"]
    assert names(visible_sets(world["other lead"])) == ["Harbour set"]
    assert names(visible_sets(world["site admin"])) == ["Harbour set", "Set 1", "Set 2"]
    assert names(visible_sets(people[0])) == ["Set 1"]  # the member facilitator
    assert names(visible_sets(people[1])) == []  # a plain member oversees nothing
    assert names(visible_sets(UserFactory())) == []
    assert names(visible_sets(AnonymousUser())) == []


def test_an_inactive_facilitator_oversees_nothing(world):
    facilitator = world["people"][0]
    facilitator.is_active = False
    facilitator.save()

    assert names(visible_sets(facilitator)) == []


@pytest.mark.parametrize("set_id", ["theirs", 10**17])
def test_another_cohorts_set_or_a_guess_is_none(world, set_id):
    set_id = world["theirs"].pk if set_id == "theirs" else set_id
    assert set_for_lead(world["lead"], set_id) is None
    assert cohort_set_for_lead(world["lead"], world["ours"].cohort, set_id) is None


def test_a_set_is_found_only_under_its_own_cohort(world, other_cohort):
    ours = world["ours"]

    assert set_for_lead(world["lead"], ours.pk) == ours
    assert cohort_set_for_lead(world["lead"], ours.cohort, ours.pk) == ours
    assert cohort_set_for_lead(world["site admin"], other_cohort, ours.pk) is None


def test_unplaced_members_leave_out_those_excluded_from_reports(world, cohort):
    staff = UserFactory(exclude_from_reports=True)
    add_members(cohort, [staff])

    unplaced = {m.learner for m in unplaced_memberships(world["lead"], cohort)}

    assert staff not in unplaced
    assert not unplaced & set(world["people"])
    assert len(unplaced) == 3  # the cohort fixture's three members
    assert not unplaced_memberships(world["other lead"], cohort).exists()
