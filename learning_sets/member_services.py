"""Writes from the set pages: a member's ground rules, challenge, shared commitments,
check-ins and leaving; a facilitator's meetings, attendance and calendar feed.

Keyword-only, checked before anything is written, atomic, and safe to repeat where a double
click or a retried request could repeat them. Callers pass objects they have already opened
through `access.py`; each service checks again that what it is given belongs together (a
commitment to the member and their set, a meeting to the set).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from modules.models import JournalEntry

from .models import (
    Attendance,
    CheckIn,
    LearningSet,
    Meeting,
    SetMember,
    SharedCommitment,
    new_feed_token,
)

# The most characters each kind of text may have (the forms say so next to the field).
MAX_CHALLENGE = 2000
MAX_COMMITMENT = 1000
MAX_CHECK_IN_ANSWER = 2000


class SetError(ValueError):
    """A request that cannot be carried out; the message says why, for the person."""


def _tidy(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


def _bounded(text: str, limit: int, message: str) -> str:
    text = _tidy(text)
    if len(text) > limit:
        raise SetError(message % {"limit": limit})
    return text


# A member's writes -----------------------------------------------------------------------


def ground_rules_accept(*, membership: SetMember) -> SetMember:
    """Record that the member accepted the ground rules; the first acceptance stands."""
    now = timezone.now()
    SetMember.objects.filter(pk=membership.pk, ground_rules_accepted_at__isnull=True).update(
        ground_rules_accepted_at=now
    )
    membership.refresh_from_db(fields=["ground_rules_accepted_at"])
    return membership


def challenge_save(*, membership: SetMember, challenge: str) -> SetMember:
    """State, change or clear the challenge the member brings to the set."""
    challenge = _bounded(
        challenge, MAX_CHALLENGE, _("Your challenge must be %(limit)s characters or fewer.")
    )
    membership.challenge = challenge
    membership.challenge_updated_at = timezone.now()
    membership.save(update_fields=["challenge", "challenge_updated_at"])
    return membership


def _check_due_on(due_on: datetime.date | None) -> None:
    if due_on is not None and not 1900 <= due_on.year <= 2100:
        raise SetError(_("Enter a date between the years 1900 and 2100."))


@transaction.atomic
def commitment_share(
    *, membership: SetMember, text: str, due_on: datetime.date | None = None
) -> SharedCommitment:
    """Share a new commitment with the set. Sharing the same words again (a double click)
    gives back the commitment already shared."""
    text = _bounded(
        text, MAX_COMMITMENT, _("Your commitment must be %(limit)s characters or fewer.")
    )
    if not text:
        raise SetError(_("Enter what you will do."))
    _check_due_on(due_on)
    # Holding the member's row makes two identical posts take turns.
    SetMember.objects.select_for_update().filter(pk=membership.pk).first()
    existing = SharedCommitment.objects.filter(
        learning_set_id=membership.learning_set_id,
        learner_id=membership.learner_id,
        journal_entry__isnull=True,
        text=text,
    ).first()
    if existing is not None:
        return existing
    commitment = SharedCommitment(
        learning_set_id=membership.learning_set_id,
        learner_id=membership.learner_id,
        text=text,
        due_on=due_on,
    )
    commitment.full_clean(exclude=["learning_set", "learner", "journal_entry"])
    commitment.save()
    return commitment


def shareable_entries(learner_id: int) -> QuerySet[JournalEntry]:
    """The learner's own action commitments from lessons that have words in them."""
    return JournalEntry.objects.filter(
        learner_id=learner_id, kind=JournalEntry.Kind.ACTION
    ).exclude(text="")


def commitments_share_from_lessons(
    *, membership: SetMember, entries: Iterable[JournalEntry]
) -> list[SharedCommitment]:
    """Share the chosen action commitments from lessons, item by item. Only the member's
    own entries can be shared; one shared twice stays one shared commitment. The text is
    copied, so that later private edits in the journal stay private."""
    wanted = {entry.pk for entry in entries}
    own = list(shareable_entries(membership.learner_id).filter(pk__in=wanted).order_by("pk"))
    if len(own) != len(wanted):
        # Said the same way whether the id is someone else's or no one's.
        raise SetError(_("Choose from the commitments listed."))
    shared = []
    for entry in own:
        defaults = {
            "learner_id": membership.learner_id,
            "text": entry.text[:MAX_COMMITMENT],
            "due_on": entry.due_on,
        }
        try:
            with transaction.atomic():
                commitment, _created = SharedCommitment.objects.get_or_create(
                    learning_set_id=membership.learning_set_id,
                    journal_entry=entry,
                    defaults=defaults,
                )
        except IntegrityError:
            # Another request shared it between our look and our insert.
            commitment = SharedCommitment.objects.get(
                learning_set_id=membership.learning_set_id, journal_entry=entry
            )
        shared.append(commitment)
    return shared


def own_commitment(*, membership: SetMember, commitment_id) -> SharedCommitment | None:
    """One of the member's own shared commitments in this set, or None."""
    return SharedCommitment.objects.filter(
        pk=commitment_id,
        learning_set_id=membership.learning_set_id,
        learner_id=membership.learner_id,
    ).first()


@transaction.atomic
def commitment_withdraw(*, membership: SetMember, commitment: SharedCommitment) -> None:
    """Take a shared commitment, and its check-ins, back from the set."""
    if (
        commitment.learner_id != membership.learner_id
        or commitment.learning_set_id != membership.learning_set_id
    ):
        raise SetError(_("You can only withdraw your own commitments."))
    SharedCommitment.objects.filter(pk=commitment.pk).delete()


def check_in_save(
    *,
    membership: SetMember,
    commitment: SharedCommitment,
    meeting: Meeting,
    status: str,
    acted: str = "",
    observed: str = "",
    reflected: str = "",
    next_plan: str = "",
) -> CheckIn:
    """The member's check-in on their commitment for a meeting: one per commitment and
    meeting; checking in again replaces the answers."""
    if (
        commitment.learner_id != membership.learner_id
        or commitment.learning_set_id != membership.learning_set_id
        or meeting.learning_set_id != membership.learning_set_id
    ):
        raise SetError(_("You can only check in on your own commitments in this set."))
    if meeting.starts_at > timezone.now():
        raise SetError(_("You can check in once the meeting has started."))
    if status not in CheckIn.Status.values:
        raise SetError(_("Select how it went."))
    message = _("Each answer must be %(limit)s characters or fewer.")
    values = {
        "status": status,
        "acted": _bounded(acted, MAX_CHECK_IN_ANSWER, message),
        "observed": _bounded(observed, MAX_CHECK_IN_ANSWER, message),
        "reflected": _bounded(reflected, MAX_CHECK_IN_ANSWER, message),
        "next_plan": _bounded(next_plan, MAX_CHECK_IN_ANSWER, message),
    }
    # update_or_create locks the row and, if two saves race to create it, retries as an
    # update: a double click leaves one check-in with the newest answers.
    check_in, _created = CheckIn.objects.update_or_create(
        commitment=commitment, meeting=meeting, defaults=values
    )
    return check_in


@transaction.atomic
def set_leave(*, membership: SetMember) -> None:
    """Leave the set, taking everything shared in it along: the member's shared
    commitments and their check-ins go, and so does their place (and the facilitator role,
    if they held it). Attendance already recorded stays with the set's meetings."""
    learning_set_id = membership.learning_set_id
    learner_id = membership.learner_id
    CheckIn.objects.filter(
        commitment__learning_set_id=learning_set_id, commitment__learner_id=learner_id
    ).delete()
    SharedCommitment.objects.filter(learning_set_id=learning_set_id, learner_id=learner_id).delete()
    LearningSet.objects.filter(pk=learning_set_id, facilitator_id=learner_id).update(
        facilitator=None
    )
    SetMember.objects.filter(pk=membership.pk).delete()


# A facilitator's writes -------------------------------------------------------------------


def _check_meeting(meeting: Meeting) -> None:
    try:
        meeting.full_clean(exclude=["learning_set", "created_by", "uid"])
    except ValidationError as error:
        raise SetError(" ".join(error.messages)) from None
    if not 1900 <= meeting.starts_at.year <= 2100:
        raise SetError(_("Enter a date between the years 1900 and 2100."))


@transaction.atomic
def meeting_schedule(
    *,
    learning_set: LearningSet,
    by: User,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
) -> Meeting:
    """Schedule a meeting of the set. A second post of the same start time (a double
    click) gives back the meeting already scheduled."""
    if timezone.is_naive(starts_at):
        raise SetError(_("Enter the time the meeting starts."))
    LearningSet.objects.select_for_update().filter(pk=learning_set.pk).first()
    existing = Meeting.objects.filter(learning_set=learning_set, starts_at=starts_at).first()
    if existing is not None:
        return existing
    meeting = Meeting(
        learning_set=learning_set,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=_tidy(place),
        video_url=_tidy(video_url),
        created_by=by,
    )
    _check_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: datetime.datetime,
    duration_minutes: int,
    place: str = "",
    video_url: str = "",
) -> Meeting:
    """Change a meeting. Calendars see the change because its sequence number goes up;
    saving it unchanged changes nothing."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    values = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "place": _tidy(place),
        "video_url": _tidy(video_url),
    }
    if all(getattr(locked, name) == value for name, value in values.items()):
        return locked
    for name, value in values.items():
        setattr(locked, name, value)
    _check_meeting(locked)
    locked.sequence += 1
    locked.save()
    return locked


def meeting_cancel(*, meeting: Meeting) -> None:
    """Cancel a meeting that has not started (one that has is part of the set's record)."""
    if meeting.starts_at <= timezone.now():
        raise SetError(_("This meeting has started, so it cannot be cancelled."))
    Meeting.objects.filter(pk=meeting.pk).delete()


@transaction.atomic
def attendance_record(*, meeting: Meeting, present: Iterable[int]) -> list[Attendance]:
    """Who came to a meeting: every current member is recorded present or absent.
    Recording again replaces the earlier answers."""
    if meeting.starts_at > timezone.now():
        raise SetError(_("You can record attendance once the meeting has started."))
    members = list(
        SetMember.objects.filter(learning_set_id=meeting.learning_set_id).values_list(
            "learner_id", flat=True
        )
    )
    present = set(present)
    if not present <= set(members):
        raise SetError(_("Choose from the members listed."))
    now = timezone.now()
    rows = [
        Attendance(
            meeting=meeting, learner_id=learner_id, present=learner_id in present, recorded_at=now
        )
        for learner_id in members
    ]
    return Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["meeting", "learner"],
        update_fields=["present", "recorded_at"],
    )


def feed_token_reset(*, learning_set: LearningSet) -> LearningSet:
    """Give the set's calendar feed a new secret; the old feed address stops working."""
    learning_set.feed_token = new_feed_token()
    learning_set.save(update_fields=["feed_token"])
    return learning_set
