"""Action-learning sets: a person's places in sets, what they shared there, attendance,
the sets they facilitate and the meetings they scheduled.

Registered from `LearningSetsConfig.ready`; see `accounts.privacy` for the contract. It
registers after the cohorts, so its erasure runs before theirs (dependents first).
"""

from __future__ import annotations

from typing import Any

from accounts.privacy import Claim, Provider, iso

from .models import Attendance, CheckIn, LearningSet, Meeting, SetMember, SharedCommitment

WHILE_BOTH_EXIST = "While the account and the set exist; leaving the set deletes it."


class LearningSetsPrivacy(Provider):
    section = "learning_sets"
    claims = (
        Claim(
            model="learning_sets.SetMember",
            fields=("learner", "joined_at", "ground_rules_accepted_at", "challenge"),
            purpose="Which action-learning set the learner is in, when they accepted its "
            "ground rules, and the challenge they bring to it.",
            visible_to="The learner and the other members of the set (the challenge); the "
            "cohort's leads, the set's facilitator and site admins see who is in the set, "
            "never the challenge.",
            retention=WHILE_BOTH_EXIST,
            erasure="Deleted.",
        ),
        Claim(
            model="learning_sets.LearningSet",
            fields=("facilitator",),
            purpose="Who facilitates a set: a lead of the cohort or one of its members.",
            visible_to="The set's members; the cohort's leads; site admins.",
            retention="While the set exists; a member facilitator who leaves is unset.",
            erasure="The set stays, without a facilitator.",
        ),
        Claim(
            model="learning_sets.Meeting",
            fields=("created_by",),
            purpose="Who scheduled a set's meeting.",
            visible_to="The set's members and facilitator; the cohort's leads.",
            retention="While the set exists.",
            erasure="The meeting stays for the rest of the set, no longer linked to them.",
        ),
        Claim(
            model="learning_sets.Attendance",
            fields=("learner", "present", "recorded_at"),
            purpose="Whether the member came to a meeting, recorded by the facilitator.",
            visible_to="The set's facilitator and members; the cohort's leads (as "
            "attendance); site admins.",
            retention="While the account and the set exist.",
            erasure="Deleted.",
        ),
        Claim(
            model="learning_sets.SharedCommitment",
            fields=("learner", "journal_entry", "text", "due_on"),
            purpose="An action commitment the learner chose to share with their set (a "
            "copy, so later private edits in their journal stay private).",
            visible_to="The learner and the other members of the set. Leads and the "
            "facilitator see only how many there are, unless they are members of the set.",
            retention=WHILE_BOTH_EXIST,
            erasure="Deleted, with their check-ins.",
        ),
        Claim(
            model="learning_sets.CheckIn",
            fields=("commitment", "status", "acted", "observed", "reflected", "next_plan"),
            purpose="How a shared commitment went, as one turn of Plan, Act, Observe, Reflect.",
            visible_to="The learner and the other members of the set. Leads and the "
            "facilitator see only how many there are, unless they are members of the set.",
            retention=WHILE_BOTH_EXIST,
            erasure="Deleted with the commitment.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        commitments = (
            SharedCommitment.objects.filter(learner=user)
            .select_related("learning_set__cohort")
            .order_by("created_at", "pk")
        )
        check_ins = (
            CheckIn.objects.filter(commitment__learner=user)
            .select_related("meeting")
            .order_by("created_at", "pk")
        )
        by_commitment: dict[int, list[dict[str, Any]]] = {}
        for check_in in check_ins:
            by_commitment.setdefault(check_in.commitment_id, []).append(
                {
                    "meeting": iso(check_in.meeting.starts_at) if check_in.meeting else None,
                    "status": str(check_in.get_status_display()),
                    "what_you_did": check_in.acted,
                    "what_you_noticed": check_in.observed,
                    "what_you_learned": check_in.reflected,
                    "what_you_will_try_next": check_in.next_plan,
                    "checked_in": iso(check_in.created_at),
                }
            )
        return {
            "sets": [
                {
                    "set": member.learning_set.name,
                    "cohort": member.learning_set.cohort.name,
                    "joined": iso(member.joined_at),
                    "ground_rules_accepted": iso(member.ground_rules_accepted_at),
                    "challenge": member.challenge,
                    "challenge_updated": iso(member.challenge_updated_at),
                }
                for member in SetMember.objects.filter(learner=user)
                .select_related("learning_set__cohort")
                .order_by("joined_at", "pk")
            ],
            "shared_commitments": [
                {
                    "set": commitment.learning_set.name,
                    "cohort": commitment.learning_set.cohort.name,
                    "text": commitment.text,
                    "due": iso(commitment.due_on),
                    "shared": iso(commitment.created_at),
                    "check_ins": by_commitment.get(commitment.pk, []),
                }
                for commitment in commitments
            ],
            "attendance": [
                {
                    "set": attendance.meeting.learning_set.name,
                    "meeting": iso(attendance.meeting.starts_at),
                    "present": attendance.present,
                    "recorded": iso(attendance.recorded_at),
                }
                for attendance in Attendance.objects.filter(learner=user)
                .select_related("meeting__learning_set")
                .order_by("meeting__starts_at", "pk")
            ],
            "sets_you_facilitate": [
                {"set": learning_set.name, "cohort": learning_set.cohort.name}
                for learning_set in LearningSet.objects.filter(facilitator=user)
                .select_related("cohort")
                .order_by("name", "pk")
            ],
            "meetings_you_scheduled": [
                {
                    "set": meeting.learning_set.name,
                    "starts": iso(meeting.starts_at),
                    "minutes": meeting.duration_minutes,
                    "place": meeting.place,
                    "video_link": meeting.video_url,
                }
                for meeting in Meeting.objects.filter(created_by=user)
                .select_related("learning_set")
                .order_by("starts_at", "pk")
            ],
        }

    def erase(self, user) -> None:
        # Commitments first: their check-ins go with them.
        SharedCommitment.objects.filter(learner=user).delete()
        Attendance.objects.filter(learner=user).delete()
        SetMember.objects.filter(learner=user).delete()
        LearningSet.objects.filter(facilitator=user).update(facilitator=None)
        Meeting.objects.filter(created_by=user).update(created_by=None)
