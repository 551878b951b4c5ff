"""The lead's set services: creating, placing, moving, removing, renaming, deleting,
choosing the facilitator, leaving, and keeping sets in step with their cohort."""

import pytest
from wagtail.models import ModelLogEntry

from cohorts.models import Membership
from learning_sets import overview, services
from learning_sets.models import CheckIn, LearningSet, SetMember, SharedCommitment
from tests.cohorts.factories import add_members, make_lead
from tests.factories import UserFactory

from .factories import check_in, make_meeting, make_people, make_set, share_commitment


@pytest.fixture
def people(cohort):
    people = make_people(8, organisations=4)
    add_members(cohort, people)
    return people


def test_a_set_made_by_hand_is_logged_and_a_double_click_makes_one(cohort, lead):
    first, created = services.set_create(cohort=cohort, user=lead, name="  Tuesday   set ")
    again, created_again = services.set_create(cohort=cohort, user=lead, name="tuesday set")

    assert (first.name, created) == ("Tuesday set", True)
    assert (again.pk, created_again) == (first.pk, False)
    assert LearningSet.objects.filter(cohort=cohort).count() == 1
    assert ModelLogEntry.objects.for_instance(first).filter(action="wagtail.create").count() == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_set_needs_a_sensible_name(cohort, lead, name):
    with pytest.raises(services.SetError):
        services.set_create(cohort=cohort, user=lead, name=name)
    assert not LearningSet.objects.exists()


def test_only_members_of_the_cohort_can_be_placed(cohort, lead):
    learning_set, _ = services.set_create(cohort=cohort, user=lead, name="Set 1")
    stranger = UserFactory()

    with pytest.raises(services.SetError, match="not a member of this cohort"):
        services.set_member_place(learning_set=learning_set, learner=stranger, user=lead)
    assert not SetMember.objects.exists()


def test_placing_twice_is_harmless_and_moving_takes_shared_items_along(cohort, lead, people):
    first = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    second = make_set(cohort, lead=lead, name="Set 2", members=people[4:])
    mover = people[0]
    commitment = share_commitment(first, mover, "Meet the housing team every month.")
    check_in(commitment, meeting=make_meeting(first, days_from_now=-7))
    stays = share_commitment(first, people[1], "Map who decides on discharge.")

    again = services.set_member_place(learning_set=first, learner=mover, user=lead)
    assert again.learning_set_id == first.pk
    assert SharedCommitment.objects.filter(learner=mover).count() == 1

    moved = services.set_member_place(learning_set=second, learner=mover, user=lead)

    assert moved.learning_set_id == second.pk
    assert SetMember.objects.filter(learner=mover).count() == 1
    assert not SharedCommitment.objects.filter(learner=mover).exists()
    assert not CheckIn.objects.filter(commitment__learner=mover).exists()
    assert SharedCommitment.objects.filter(pk=stays.pk).exists()
    entry = ModelLogEntry.objects.filter(action=services.PLACE_ACTION).latest("pk")
    assert entry.data == {"learner": mover.pk, "moved_from_set": first.pk}


def test_leave_set_takes_the_members_shared_items_and_facilitator_role(cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    leaver = people[2]
    services.set_facilitator_choose(learning_set=learning_set, user=lead, facilitator=leaver)
    share_commitment(learning_set, leaver, "Shadow a social worker for a day.")

    assert services.leave_set(learning_set=learning_set, learner=leaver) is True
    assert services.leave_set(learning_set=learning_set, learner=leaver) is False

    learning_set.refresh_from_db()
    assert learning_set.facilitator is None
    assert not SetMember.objects.filter(learner=leaver).exists()
    assert not SharedCommitment.objects.filter(learner=leaver).exists()
    # Still in the cohort, just not in a set.
    assert Membership.objects.filter(cohort=cohort, learner=leaver).exists()


def test_a_lead_who_facilitates_stays_facilitator_when_a_member_leaves(cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    services.set_facilitator_choose(learning_set=learning_set, user=lead, facilitator=lead)

    services.set_member_remove(learning_set=learning_set, learner=people[0], user=lead)

    learning_set.refresh_from_db()
    assert learning_set.facilitator == lead
    assert ModelLogEntry.objects.filter(action=services.REMOVE_ACTION).count() == 1


def test_the_facilitator_is_a_lead_of_the_cohort_or_a_member_of_the_set(
    cohort, lead, other_lead, people
):
    first = make_set(cohort, lead=lead, name="Set 1", members=people[:4])
    make_set(cohort, lead=lead, name="Set 2", members=people[4:])

    for outsider in (other_lead, people[5], UserFactory()):
        with pytest.raises(services.SetError, match="cannot facilitate"):
            services.set_facilitator_choose(learning_set=first, user=lead, facilitator=outsider)

    services.set_facilitator_choose(learning_set=first, user=lead, facilitator=people[1])
    services.set_facilitator_choose(learning_set=first, user=lead, facilitator=people[1])
    assert ModelLogEntry.objects.filter(action=services.FACILITATOR_ACTION).count() == 1
    services.set_facilitator_choose(learning_set=first, user=lead, facilitator=None)
    first.refresh_from_db()
    assert first.facilitator is None


def test_leaving_the_cohort_means_leaving_its_set(cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    share_commitment(learning_set, people[0], "Bring a problem from the discharge hub.")

    Membership.objects.filter(cohort=cohort, learner=people[0]).delete()

    assert not SetMember.objects.filter(learner=people[0]).exists()
    assert not SharedCommitment.objects.filter(learner=people[0]).exists()
    assert SetMember.objects.filter(learning_set=learning_set).count() == 3


def test_a_lead_who_stops_leading_stops_facilitating(cohort, lead, people):
    co_lead = make_lead()
    cohort.leads.add(co_lead)
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    services.set_facilitator_choose(learning_set=learning_set, user=lead, facilitator=co_lead)

    cohort.leads.remove(co_lead)

    learning_set.refresh_from_db()
    assert learning_set.facilitator is None


def test_renaming_refuses_a_name_another_set_has(cohort, lead):
    first = make_set(cohort, lead=lead, name="Set 1")
    make_set(cohort, lead=lead, name="Set 2")

    with pytest.raises(services.SetError, match="already has a set called"):
        services.set_rename(learning_set=first, user=lead, name="set 2")
    services.set_rename(learning_set=first, user=lead, name="Thursday set")

    first.refresh_from_db()
    assert first.name == "Thursday set"


def test_deleting_a_set_leaves_its_members_in_the_cohort(cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    share_commitment(learning_set, people[0], "Try a walking one-to-one.")

    services.set_delete(learning_set=learning_set, user=lead)

    assert not LearningSet.objects.exists()
    assert not SetMember.objects.exists()
    assert not SharedCommitment.objects.exists()
    assert Membership.objects.filter(cohort=cohort).count() == 3 + 8
    assert ModelLogEntry.objects.filter(action="wagtail.delete").count() == 1


def test_sets_from_a_suggestion_are_what_was_previewed_and_made_once(cohort, lead, people):
    suggestion = overview.set_suggestion(user=lead, cohort=cohort)
    assert not suggestion.refusal
    # 3 fixture members (two organisations) and 8 new ones (four): 11 people.
    assert sum(len(planned.members) for planned in suggestion.sets) == 11

    created = services.sets_create_from_suggestion(
        cohort=cohort, user=lead, fingerprint=suggestion.fingerprint
    )

    assert [s.name for s in created] == [planned.name for planned in suggestion.sets]
    for learning_set, planned in zip(created, suggestion.sets, strict=True):
        assert set(learning_set.members.values_list("learner", flat=True)) == {
            person.pk for person in planned.members
        }
    with pytest.raises(services.SuggestionChanged):
        services.sets_create_from_suggestion(
            cohort=cohort, user=lead, fingerprint=suggestion.fingerprint
        )
    assert LearningSet.objects.count() == len(created)


def test_a_suggestion_is_refused_once_the_cohort_changed(cohort, lead, people):
    suggestion = overview.set_suggestion(user=lead, cohort=cohort)
    add_members(cohort, [UserFactory()])

    with pytest.raises(services.SuggestionChanged):
        services.sets_create_from_suggestion(
            cohort=cohort, user=lead, fingerprint=suggestion.fingerprint
        )
    assert not LearningSet.objects.exists()


def test_people_excluded_from_reports_are_not_placed_by_suggestion(cohort, lead, people):
    staff = UserFactory(exclude_from_reports=True)
    add_members(cohort, [staff])

    suggestion = overview.set_suggestion(user=lead, cohort=cohort)

    placed = {person.pk for planned in suggestion.sets for person in planned.members}
    assert staff.pk not in placed
    assert len(placed) == 11


def test_new_sets_from_a_suggestion_take_names_not_yet_used(cohort, lead, people):
    make_set(cohort, lead=lead, name="Set 1", members=people[:4])

    suggestion = overview.set_suggestion(user=lead, cohort=cohort)

    assert [planned.name for planned in suggestion.sets] == ["Set 2"]
    assert overview.next_set_names({"set 2", "Set 3"}, 3) == ["Set 1", "Set 4", "Set 5"]


def test_a_suggestion_for_too_few_people_says_why(cohort, lead):
    suggestion = overview.set_suggestion(user=lead, cohort=cohort)

    assert suggestion.sets == []
    assert "There are only 3 people to place" in suggestion.refusal
    with pytest.raises(services.SetError, match="only 3 people"):
        services.sets_create_from_suggestion(
            cohort=cohort, user=lead, fingerprint=suggestion.fingerprint
        )


def test_deleting_a_cohort_with_sets_deletes_them_cleanly(cohort, lead, people):
    learning_set = make_set(cohort, lead=lead, members=people[:4])
    check_in(share_commitment(learning_set, people[0], "Something"))

    cohort.delete()

    assert not LearningSet.objects.exists()
    assert not SetMember.objects.exists()
    assert not SharedCommitment.objects.exists()
