"""Reads for the set pages: which sets a person has, and what a set's page shows them.

What the page shows depends on how the person opened the set (`access.SetAccess`):
members read what fellow members chose to share (challenges, shared commitments and
check-ins); someone who only facilitates or leads reads who is in the set, the meetings,
attendance and how many commitments and check-ins there are, never their words. Nothing
here reads a journal entry or a reflection. Each read takes a fixed number of queries,
however many members, meetings, commitments and check-ins the set has.
"""

import datetime
import hmac
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User

from .access import SetAccess
from .models import Attendance, CheckIn, LearningSet, Meeting, SetMember, SharedCommitment


@dataclass
class MySet:
    learning_set: LearningSet
    membership: SetMember | None
    facilitates: bool


def my_sets(user: User) -> list[MySet]:
    """The sets the person is in, then those they facilitate without being in (two
    queries)."""
    if not user.is_authenticated:
        return []
    memberships = list(
        SetMember.objects.filter(learner=user)
        .select_related("learning_set__cohort")
        .order_by("learning_set__cohort__name", "learning_set__name", "pk")
    )
    member_of = {membership.learning_set_id for membership in memberships}
    found = [
        MySet(m.learning_set, m, m.learning_set.facilitator_id == user.pk) for m in memberships
    ]
    facilitated = (
        LearningSet.objects.filter(facilitator=user)
        .exclude(pk__in=member_of)
        .select_related("cohort")
        .order_by("cohort__name", "name", "pk")
    )
    found += [MySet(learning_set, None, True) for learning_set in facilitated]
    return found


def in_any_set(user: User) -> bool:
    """Whether the person is in a set or facilitates one (one query)."""
    if not user.is_authenticated:
        return False
    return LearningSet.objects.filter(Q(members__learner=user) | Q(facilitator=user)).exists()


@dataclass
class MemberRow:
    """A member as the set page lists them: who they are, and either what they shared
    (for fellow members) or how much (for a facilitator who is not a member)."""

    membership: SetMember
    commitments: list[SharedCommitment] = field(default_factory=list)
    commitment_count: int = 0
    check_in_count: int = 0

    @property
    def learner(self) -> User:
        return self.membership.learner


@dataclass
class CycleStep:
    """One commitment at one meeting: Plan (the commitment, or the last "next" plan), then
    Act, Observe and Reflect from the check-in, if there is one."""

    meeting: Meeting
    check_in: CheckIn | None


@dataclass
class Cycle:
    commitment: SharedCommitment
    steps: list[CycleStep]


@dataclass
class PastMeeting:
    """A meeting that has started, with how many members were recorded present (None until
    the facilitator records attendance, and for members, who are not shown it)."""

    meeting: Meeting
    present: int | None


@dataclass
class SetPage:
    learning_set: LearningSet
    access: SetAccess
    members: list[MemberRow]
    past_meetings: list[Meeting]
    past_rows: list[PastMeeting]
    upcoming_meetings: list[Meeting]
    # Meeting id -> members recorded present, for meetings with attendance recorded.
    attendance: dict[int, int]
    cycles: list[Cycle]
    shows_text: bool

    @property
    def meetings(self) -> list[Meeting]:
        return [*self.past_meetings, *self.upcoming_meetings]


def set_meetings(learning_set: LearningSet) -> QuerySet[Meeting]:
    return Meeting.objects.filter(learning_set=learning_set).order_by("starts_at", "pk")


def set_members(learning_set: LearningSet) -> QuerySet[SetMember]:
    return (
        SetMember.objects.filter(learning_set=learning_set)
        .select_related("learner__organisation")
        .order_by("learner__first_name", "learner__last_name", "pk")
    )


def set_page(access: SetAccess, *, now: datetime.datetime | None = None) -> SetPage:
    """Everything the set page shows the person (five queries for a member, six for a
    facilitator, whatever the set holds)."""
    now = now or timezone.now()
    learning_set = access.learning_set
    memberships = list(set_members(learning_set))
    meetings = list(set_meetings(learning_set))
    past = [meeting for meeting in meetings if meeting.starts_at <= now]
    upcoming = [meeting for meeting in meetings if meeting.starts_at > now]
    rows = {membership.learner_id: MemberRow(membership) for membership in memberships}
    cycles: list[Cycle] = []

    if access.is_member:
        commitments = (
            SharedCommitment.objects.filter(learning_set=learning_set)
            .only("pk", "learner_id", "learning_set_id", "text", "due_on", "created_at")
            .prefetch_related(
                Prefetch(
                    "check_ins",
                    queryset=CheckIn.objects.order_by("created_at", "pk"),
                )
            )
        )
        for commitment in commitments:
            if commitment.learner_id in rows:
                rows[commitment.learner_id].commitments.append(commitment)
        own = rows.get(access.membership.learner_id) if access.membership else None
        if own is not None:
            for commitment in own.commitments:
                by_meeting = {c.meeting_id: c for c in commitment.check_ins.all()}
                cycles.append(
                    Cycle(
                        commitment,
                        [CycleStep(meeting, by_meeting.get(meeting.pk)) for meeting in past],
                    )
                )
    else:
        counts = (
            SharedCommitment.objects.filter(learning_set=learning_set)
            .values("learner_id")
            .annotate(shared=Count("pk", distinct=True), checked_in=Count("check_ins"))
        )
        for count in counts:
            row = rows.get(count["learner_id"])
            if row is not None:
                row.commitment_count = count["shared"]
                row.check_in_count = count["checked_in"]

    attendance: dict[int, int] = {}
    if access.facilitates:
        recorded = (
            Attendance.objects.filter(meeting__learning_set=learning_set)
            .values("meeting_id")
            .annotate(came=Count("pk", filter=Q(present=True)))
        )
        attendance = {row["meeting_id"]: row["came"] for row in recorded}

    return SetPage(
        learning_set=learning_set,
        access=access,
        members=list(rows.values()),
        past_meetings=past,
        past_rows=[PastMeeting(meeting, attendance.get(meeting.pk)) for meeting in past],
        upcoming_meetings=upcoming,
        attendance=attendance,
        cycles=cycles,
        shows_text=access.is_member,
    )


def meeting_of(learning_set: LearningSet, meeting_id) -> Meeting | None:
    return Meeting.objects.filter(learning_set=learning_set, pk=meeting_id).first()


def attendance_of(meeting: Meeting) -> set[int]:
    """The learners recorded present at the meeting."""
    return set(
        Attendance.objects.filter(meeting=meeting, present=True).values_list(
            "learner_id", flat=True
        )
    )


def feed_meetings(token: str) -> tuple[LearningSet, list[Meeting]] | None:
    """The set whose feed secret is `token`, and its meetings (two queries); None if none.
    The database finds the row by its unique index; the secret is then compared in
    constant time, so that how long an answer takes says nothing about the secret."""
    learning_set = LearningSet.objects.filter(feed_token=token).only("pk", "name", "feed_token")
    found = learning_set.first()
    if found is None or not hmac.compare_digest(found.feed_token.encode(), token.encode()):
        return None
    return found, list(set_meetings(found))
