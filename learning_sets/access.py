"""Which set a person may open from the learner-facing pages, and in which capacity.

- As a member: a signed-in, active person with a confirmed email address who has a place
  in the set (`SetMember`).
- As facilitator: the same kind of person who is the set's facilitator, or who may see the
  set's cohort under the cohorts' one visibility rule (`cohorts.permissions.cohort_for`: a
  lead of the cohort, or a site admin).

Anything else is `None`, which the views answer with "page not found", whether the id
exists or not, so a guessed id says nothing about which sets there are. The email check is
the lesson guard's (`modules.lessons.learner_refusal`), not a second copy of it.
"""

from dataclasses import dataclass

from cohorts.permissions import cohort_for
from modules.lessons import learner_refusal

from .models import LearningSet, SetMember


def may_use_sets(user) -> bool:
    """Signed in, active and with a confirmed email address."""
    return bool(user.is_authenticated and user.is_active and learner_refusal(user) is None)


def set_for_member(user, set_id) -> SetMember | None:
    """The person's place in the set, with the set and its cohort (one query)."""
    if not may_use_sets(user):
        return None
    return (
        SetMember.objects.select_related("learning_set__cohort", "learning_set__facilitator")
        .filter(learning_set_id=set_id, learner=user)
        .first()
    )


def set_for_facilitator(user, set_id) -> LearningSet | None:
    """The set, if the person facilitates it or leads its cohort."""
    if not may_use_sets(user):
        return None
    learning_set = (
        LearningSet.objects.select_related("cohort", "facilitator").filter(pk=set_id).first()
    )
    if learning_set is None:
        return None
    if learning_set.facilitator_id == user.pk:
        return learning_set
    if cohort_for(user, learning_set.cohort_id) is not None:
        return learning_set
    return None


@dataclass(frozen=True)
class SetAccess:
    """How a person opens a set: as a member, as facilitator, or both."""

    learning_set: LearningSet
    membership: SetMember | None
    facilitates: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None


def set_access(user, set_id) -> SetAccess | None:
    """The set and how `user` may open it; None if they may not open it at all."""
    membership = set_for_member(user, set_id)
    if membership is not None:
        learning_set = membership.learning_set
        facilitates = learning_set.facilitator_id == user.pk or (
            cohort_for(user, learning_set.cohort_id) is not None
        )
        return SetAccess(learning_set, membership, facilitates)
    facilitated = set_for_facilitator(user, set_id)
    if facilitated is None:
        return None
    return SetAccess(facilitated, None, True)
