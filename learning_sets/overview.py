"""Reads for the lead's set overview in the Wagtail admin: a cohort's sets, who is in
each, meetings, attendance and the number (never the text) of shared commitments and
check-ins; who is not yet placed; and the suggested split of those people.

Everything starts from `permissions` (so from `cohorts.permissions.visible_cohorts`), and
each read is a fixed number of queries whatever the size of the cohort.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cohorts.models import Cohort, Membership

from .models import Attendance, CheckIn, LearningSet, Meeting, SetMember, SharedCommitment
from .permissions import cohort_set_members, cohort_sets, unplaced_memberships
from .suggest import Person, SuggestionRefused, suggest_sets

# What a lead never loads of a member: what they shared.
PRIVATE_MEMBER_FIELDS = ("challenge", "challenge_updated_at")


def _count(queryset, group: str):
    """The number of rows of `queryset` for the outer row, as a subquery (0 for none), so
    that several counts never multiply each other's joins."""
    counted = queryset.order_by().values(group).annotate(count=Count("pk")).values("count")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class SetRow:
    learning_set: LearningSet
    members: list[SetMember]
    meetings_held: int
    last_meeting: datetime.datetime | None
    next_meeting: datetime.datetime | None
    attendance_rate: int | None  # per cent of recorded places at past meetings; None if none
    commitments: int
    check_ins: int


@dataclass(frozen=True)
class Overview:
    cohort: Cohort
    sets: list[SetRow]
    unplaced: list[Membership]
    placed: int = 0


def sets_with_figures(user, cohort: Cohort, *, now: datetime.datetime | None = None):
    """`cohort`'s sets, each with its facilitator, members (who, not what they shared)
    and figures, in two queries."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(learning_set=OuterRef("pk"))
    past = Attendance.objects.filter(
        meeting__learning_set=OuterRef("pk"), meeting__starts_at__lt=now
    )
    members = (
        SetMember.objects.select_related("learner__organisation")
        .defer(*PRIVATE_MEMBER_FIELDS)
        .order_by("learner__first_name", "learner__last_name", "learner__email", "pk")
    )
    return (
        cohort_sets(user, cohort)
        .select_related("facilitator")
        .annotate(
            meetings_held=_count(meetings.filter(starts_at__lt=now), "learning_set"),
            last_meeting=Subquery(
                meetings.filter(starts_at__lt=now).order_by("-starts_at").values("starts_at")[:1]
            ),
            next_meeting=Subquery(
                meetings.filter(starts_at__gte=now).order_by("starts_at").values("starts_at")[:1]
            ),
            attendance_recorded=_count(past, "meeting__learning_set"),
            attendance_present=_count(past.filter(present=True), "meeting__learning_set"),
            commitment_count=_count(
                SharedCommitment.objects.filter(learning_set=OuterRef("pk")), "learning_set"
            ),
            check_in_count=_count(
                CheckIn.objects.filter(commitment__learning_set=OuterRef("pk")),
                "commitment__learning_set",
            ),
        )
        .prefetch_related(Prefetch("members", queryset=members, to_attr="member_list"))
        .order_by("name", "pk")
    )


def set_overview(*, user, cohort: Cohort, now: datetime.datetime | None = None) -> Overview:
    """Everything the lead's overview shows, in three queries."""
    rows = []
    placed = 0
    for learning_set in sets_with_figures(user, cohort, now=now):
        recorded = learning_set.attendance_recorded
        rows.append(
            SetRow(
                learning_set=learning_set,
                members=learning_set.member_list,
                meetings_held=learning_set.meetings_held,
                last_meeting=learning_set.last_meeting,
                next_meeting=learning_set.next_meeting,
                attendance_rate=(
                    round(100 * learning_set.attendance_present / recorded) if recorded else None
                ),
                commitments=learning_set.commitment_count,
                check_ins=learning_set.check_in_count,
            )
        )
        placed += len(learning_set.member_list)
    unplaced = list(
        unplaced_memberships(user, cohort)
        .select_related("learner__organisation")
        .order_by("learner__first_name", "learner__last_name", "learner__email", "pk")
    )
    return Overview(cohort=cohort, sets=rows, unplaced=unplaced, placed=placed)


def cohort_people(user, cohort: Cohort):
    """Everyone a lead can place in `cohort`'s sets (members they may see, plus anyone
    already in a set), for the "move someone" form."""
    in_sets = cohort_set_members(user, cohort).values("learner")
    return (
        User.objects.filter(
            Q(pk__in=Membership.objects.filter(cohort=cohort).values("learner"))
            & (Q(pk__in=unplaced_memberships(user, cohort).values("learner")) | Q(pk__in=in_sets))
        )
        .select_related("organisation")
        .order_by("first_name", "last_name", "email", "pk")
    )


def facilitator_choices(learning_set: LearningSet):
    """Who may facilitate `learning_set`: the cohort's leads and the set's members."""
    return (
        User.objects.filter(
            Q(led_cohorts=learning_set.cohort_id) | Q(set_memberships__learning_set=learning_set)
        )
        .distinct()
        .order_by("first_name", "last_name", "email", "pk")
    )


# The suggestion ------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedSet:
    name: str
    members: list[User]

    @property
    def organisations(self) -> int:
        return len({member.organisation_id for member in self.members})


@dataclass(frozen=True)
class SetSuggestion:
    """The sets a suggestion would create for the cohort's unplaced members; `refusal`
    says why there are none. `fingerprint` identifies exactly this suggestion, so that
    "Create these sets" creates what was previewed or nothing."""

    sets: list[PlannedSet] = field(default_factory=list)
    refusal: str = ""
    fingerprint: str = ""
    smallest: int = 0
    largest: int = 0


def next_set_names(taken: set[str], count: int) -> list[str]:
    """`count` names "Set 1", "Set 2"… that are not in `taken` (compared without case)."""
    taken_lower = {name.casefold() for name in taken}
    names: list[str] = []
    number = 1
    while len(names) < count:
        name = _("Set %(number)s") % {"number": number}
        if name.casefold() not in taken_lower:
            names.append(name)
        number += 1
    return names


def set_suggestion(*, user, cohort: Cohort) -> SetSuggestion:
    """How the cohort's unplaced members (as `user` may see them, so never anyone
    excluded from reports) would be split into new sets, in two queries."""
    memberships = list(
        unplaced_memberships(user, cohort)
        .select_related("learner__organisation")
        .order_by("learner_id")
    )
    learners = {membership.learner_id: membership.learner for membership in memberships}
    people = [
        Person(id=learner.pk, organisation=learner.organisation_id, job_role=learner.job_role)
        for learner in learners.values()
    ]
    smallest, largest = cohort.set_size_min, cohort.set_size_max
    planned: list[PlannedSet] = []
    refusal = ""
    try:
        suggestion = suggest_sets(people, smallest=smallest, largest=largest)
    except SuggestionRefused as error:
        refusal = str(error)
    else:
        taken = set(LearningSet.objects.filter(cohort=cohort).values_list("name", flat=True))
        names = next_set_names(taken, len(suggestion.groups))
        planned = [
            PlannedSet(
                name=name,
                members=sorted(
                    (learners[pk] for pk in group),
                    key=lambda learner: (learner.get_full_name().casefold(), learner.pk),
                ),
            )
            for name, group in zip(names, suggestion.groups, strict=True)
        ]
    identity = [
        cohort.pk,
        smallest,
        largest,
        refusal,
        [[plan.name, [member.pk for member in plan.members]] for plan in planned],
    ]
    fingerprint = hashlib.sha256(json.dumps(identity).encode()).hexdigest()
    return SetSuggestion(
        sets=planned,
        refusal=refusal,
        fingerprint=fingerprint,
        smallest=smallest,
        largest=largest,
    )
