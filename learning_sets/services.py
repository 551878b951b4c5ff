"""Writes for action-learning sets made by leads: sets from a suggestion or by hand,
placing, moving and removing members, renaming, deleting and choosing the facilitator;
and `leave_set`, which takes a member's shared items with them.

Keyword-only, validated before anything is written, atomic, safe to repeat where a double
click could repeat them, and (for a lead's changes) recorded in Wagtail's audit log, as
`cohorts.services` does.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import User
from cohorts.models import Cohort, Membership

from . import overview
from .models import LearningSet, SetMember, SharedCommitment

PLACE_ACTION = "learning_sets.place"
REMOVE_ACTION = "learning_sets.remove"
FACILITATOR_ACTION = "learning_sets.facilitator"
SUGGESTION_ACTION = "learning_sets.suggestion"


class SetError(ValueError):
    """A change that cannot be made; the message says why, for the person."""


class SuggestionChanged(SetError):
    """The cohort changed between the preview and "Create these sets"."""


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SetError(_("Give the set a name."))
    max_length = LearningSet._meta.get_field("name").max_length or 80
    if len(name) > max_length:
        raise SetError(
            _("A set's name can be at most %(length)s characters.") % {"length": max_length}
        )
    return name


def _save(instance, **kwargs) -> None:
    """`full_clean` and save, with any refusal as a `SetError`."""
    try:
        instance.full_clean(**kwargs)
    except ValidationError as error:
        raise SetError(" ".join(error.messages)) from None
    instance.save()


def _lock_cohort(cohort: Cohort) -> None:
    """Serialise changes to one cohort's sets (a no-op lock on SQLite, which serialises
    writes anyway)."""
    Cohort.objects.select_for_update().filter(pk=cohort.pk).values_list("pk").first()


def _name_taken(cohort: Cohort, name: str, *, other_than: int | None = None) -> bool:
    sets = LearningSet.objects.filter(cohort=cohort, name__iexact=name)
    if other_than is not None:
        sets = sets.exclude(pk=other_than)
    return sets.exists()


@transaction.atomic
def set_create(*, cohort: Cohort, user: User, name: str) -> tuple[LearningSet, bool]:
    """A new, empty set in `cohort`; with a name already used there, that set and False
    (so a double click makes one set)."""
    name = _clean_name(name)
    _lock_cohort(cohort)
    existing = LearningSet.objects.filter(cohort=cohort, name__iexact=name).first()
    if existing is not None:
        return existing, False
    learning_set = LearningSet(cohort=cohort, name=name)
    _save(learning_set, validate_constraints=False)
    log(instance=learning_set, action="wagtail.create", user=user)
    return learning_set, True


@transaction.atomic
def set_rename(*, learning_set: LearningSet, user: User, name: str) -> LearningSet:
    name = _clean_name(name)
    if name == learning_set.name:
        return learning_set
    _lock_cohort(learning_set.cohort)
    if _name_taken(learning_set.cohort, name, other_than=learning_set.pk):
        raise SetError(
            _("This cohort already has a set called %(name)s. Choose another name.")
            % {"name": name}
        )
    learning_set.name = name
    _save(learning_set, validate_constraints=False)
    log(instance=learning_set, action="wagtail.edit", user=user)
    return learning_set


@transaction.atomic
def set_delete(*, learning_set: LearningSet, user: User) -> None:
    """Delete the set with its members' places, meetings, attendance, shared commitments
    and check-ins. The members stay in the cohort, unplaced."""
    log(instance=learning_set, action="wagtail.delete", user=user, deleted=True)
    LearningSet.objects.filter(pk=learning_set.pk).delete()


def _may_facilitate(learning_set: LearningSet, person: User) -> bool:
    return (
        learning_set.cohort.leads.filter(pk=person.pk).exists()
        or SetMember.objects.filter(learning_set=learning_set, learner=person).exists()
    )


def _delete_shared_items(learning_set: LearningSet, learner_id: int) -> None:
    """The member's shared commitments in the set, and with them their check-ins."""
    SharedCommitment.objects.filter(learning_set=learning_set, learner_id=learner_id).delete()


def _leave(member: SetMember) -> None:
    learning_set = member.learning_set
    _delete_shared_items(learning_set, member.learner_id)
    member.delete()
    if (
        learning_set.facilitator_id == member.learner_id
        and not learning_set.cohort.leads.filter(pk=member.learner_id).exists()
    ):
        LearningSet.objects.filter(pk=learning_set.pk).update(facilitator=None)
        learning_set.facilitator = None


@transaction.atomic
def leave_set(*, learning_set: LearningSet, learner: User) -> bool:
    """Take `learner` out of `learning_set`, with everything they shared there (their
    shared commitments and check-ins). A member facilitator stops facilitating. False if
    they were not a member (leaving twice is harmless)."""
    member = (
        SetMember.objects.select_for_update()
        .select_related("learning_set__cohort")
        .filter(learning_set=learning_set, learner=learner)
        .first()
    )
    if member is None:
        return False
    _leave(member)
    return True


@transaction.atomic
def set_member_place(*, learning_set: LearningSet, learner: User, user: User) -> SetMember:
    """Put a member of the set's cohort in `learning_set`, moving them out of any other
    set of the cohort (with their shared items there). Placing twice is harmless."""
    cohort = learning_set.cohort
    if not Membership.objects.filter(cohort=cohort, learner=learner).exists():
        raise SetError(
            _("%(name)s is not a member of this cohort, so cannot join one of its sets.")
            % {"name": learner.get_full_name() or learner.email}
        )
    _lock_cohort(cohort)
    current = (
        SetMember.objects.select_for_update()
        .select_related("learning_set__cohort")
        .filter(cohort=cohort, learner=learner)
        .first()
    )
    if current is not None and current.learning_set_id == learning_set.pk:
        return current
    moved_from = current.learning_set_id if current is not None else None
    if current is not None:
        _leave(current)
    try:
        with transaction.atomic():
            member = SetMember.objects.create(
                learning_set=learning_set,
                cohort=cohort,
                learner=learner,
                joined_at=timezone.now(),
            )
    except IntegrityError:
        member = SetMember.objects.get(cohort=cohort, learner=learner)
    log(
        instance=learning_set,
        action=PLACE_ACTION,
        user=user,
        data={"learner": learner.pk, "moved_from_set": moved_from},
    )
    return member


@transaction.atomic
def set_member_remove(*, learning_set: LearningSet, learner: User, user: User) -> bool:
    """Take a member out of a set (a lead's change); see `leave_set`."""
    removed = leave_set(learning_set=learning_set, learner=learner)
    if removed:
        log(instance=learning_set, action=REMOVE_ACTION, user=user, data={"learner": learner.pk})
    return removed


@transaction.atomic
def set_facilitator_choose(
    *, learning_set: LearningSet, user: User, facilitator: User | None
) -> LearningSet:
    """Make `facilitator` (a lead of the cohort, or a member of this set) the set's
    facilitator; None leaves the set without one."""
    if facilitator is not None and not _may_facilitate(learning_set, facilitator):
        raise SetError(
            _(
                "%(name)s cannot facilitate this set: choose a lead of the cohort or a "
                "member of the set."
            )
            % {"name": facilitator.get_full_name() or facilitator.email}
        )
    new_id = facilitator.pk if facilitator is not None else None
    if learning_set.facilitator_id == new_id:
        return learning_set
    learning_set.facilitator = facilitator
    learning_set.save(update_fields=["facilitator"])
    log(
        instance=learning_set,
        action=FACILITATOR_ACTION,
        user=user,
        data={"facilitator": new_id},
    )
    return learning_set


@transaction.atomic
def sets_create_from_suggestion(
    *, cohort: Cohort, user: User, fingerprint: str
) -> list[LearningSet]:
    """Create the sets previewed with `fingerprint` (see `overview.set_suggestion`).

    The suggestion is worked out again under a lock on the cohort; if it is not the one
    previewed (someone joined, was placed, or the sets were just created by a first
    click), nothing is written and `SuggestionChanged` says so.
    """
    _lock_cohort(cohort)
    suggestion = overview.set_suggestion(user=user, cohort=cohort)
    if suggestion.fingerprint != fingerprint:
        raise SuggestionChanged(
            _(
                "The cohort's members or sets have changed since the suggestion was made, "
                "so no sets were created. Check the new suggestion."
            )
        )
    if suggestion.refusal:
        raise SetError(suggestion.refusal)
    now = timezone.now()
    created = []
    for planned in suggestion.sets:
        learning_set = LearningSet(cohort=cohort, name=planned.name)
        _save(learning_set, validate_constraints=False)
        SetMember.objects.bulk_create(
            [
                SetMember(learning_set=learning_set, cohort=cohort, learner=person, joined_at=now)
                for person in planned.members
            ]
        )
        log(instance=learning_set, action=SUGGESTION_ACTION, user=user)
        created.append(learning_set)
    return created


# Keeping sets in step with their cohort --------------------------------------------------


@transaction.atomic
def cohort_membership_ended(*, cohort_id: int, learner_id: int) -> None:
    """Someone left a cohort: they leave its set too, with their shared items."""
    member = (
        SetMember.objects.select_related("learning_set__cohort")
        .filter(cohort_id=cohort_id, learner_id=learner_id)
        .first()
    )
    if member is not None:
        _leave(member)


def facilitators_check(*, cohort_ids) -> int:
    """Unset facilitators who are neither a lead of the set's cohort nor a member of the
    set (after a cohort's leads changed); returns how many sets lost theirs."""
    lead_of_cohort = Cohort.leads.through.objects.filter(
        cohort=OuterRef("cohort"), user=OuterRef("facilitator")
    )
    member_of_set = SetMember.objects.filter(
        learning_set=OuterRef("pk"), learner=OuterRef("facilitator")
    )
    return (
        LearningSet.objects.filter(cohort_id__in=cohort_ids, facilitator__isnull=False)
        .exclude(Exists(lead_of_cohort))
        .exclude(Exists(member_of_set))
        .update(facilitator=None)
    )
