"""Cohort memberships, leads, invitations to a person's address and exports they asked for.

Registered from `CohortsConfig.ready`; see `accounts.privacy` for the contract. Erasure runs
before the assessments' (dependents first): it keeps the member's latest responses in each
cohort's anonymous figures (`RetainedResponse`) before the memberships go.

A lead who erases their account leaves their cohorts; a cohort left with no lead stays,
and site admins see it on the admin home ("Cohorts with no lead") until they give it one.
Deleting a user from the Wagtail admin still refuses to leave a cohort without a lead
(`wagtail_hooks.keep_a_lead_when_deleting_a_user`): a site admin tidying up can fix it
first, whereas a person's own request to be erased is never held up by it.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from accounts.privacy import Claim, Provider, iso
from assessments import services as assessment_services
from assessments.models import Response

from .models import Cohort, CohortExport, Invitation, Membership, RetainedResponse


def _addresses(user) -> list[str]:
    addresses = {user.email.lower()}
    stored = EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    addresses.update(email.lower() for email in stored)
    return sorted(addresses)


def latest_responses_of(user):
    """The user's latest submitted response to each instrument: what a cohort's figures
    count for them (see `dashboard.latest_responses`)."""
    submitted = Response.objects.submitted()
    later = submitted.filter(learner=user, instrument=OuterRef("instrument")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    return submitted.filter(learner=user).exclude(Exists(later))


class CohortsPrivacy(Provider):
    section = "cohorts"
    claims = (
        Claim(
            model="cohorts.Membership",
            fields=("learner", "joined_at"),
            purpose="Which cohorts the learner belongs to, so that its leads can support them.",
            visible_to="The learner; the cohort's leads; site admins.",
            retention="While the account and the cohort exist.",
            erasure="Deleted. Their latest self-assessment responses stay in the cohort's "
            "anonymous figures (RetainedResponse), without them.",
        ),
        Claim(
            model="cohorts.Cohort",
            fields=("created_by", "leads", "members"),
            purpose="A cohort: who created it, who leads it, who belongs.",
            visible_to="Its leads; site admins; members see its name.",
            retention="While the cohort exists.",
            erasure="The person is removed as creator, lead and member. A cohort left "
            "with no lead stays and is listed for site admins to give it one.",
        ),
        Claim(
            model="cohorts.Cohort_leads",
            fields=("user",),
            purpose="Which people lead a cohort.",
            visible_to="The cohort's leads; site admins.",
            retention="While the lead and the cohort exist.",
            erasure="Deleted.",
        ),
        Claim(
            model="cohorts.Invitation",
            fields=("email", "invited_by", "accepted_by", "accepted_at", "declined_at"),
            purpose="An invitation a lead sent to an email address to join a cohort.",
            visible_to="The lead's cohort's leads (the address and its status); the person "
            "invited.",
            retention="Accepted ones until the cohort is deleted; others are deleted once they "
            "expire (COHORT_INVITATION_DAYS, 30) by the daily cohort_invitations_expire job.",
            erasure="Invitations to any of the person's addresses are deleted. "
            "Invitations they sent as a lead stay with the cohort, no longer linked to "
            "them (they hold the invitee's address, which is the invitee's data).",
        ),
        Claim(
            model="cohorts.CohortExport",
            fields=("requested_by", "file"),
            purpose="A spreadsheet of a cohort's progress a lead asked for (it holds the "
            "members' names and progress).",
            visible_to="The cohort's leads; site admins.",
            retention="COHORT_EXPORT_RETENTION_DAYS after it is ready, then deleted with its file.",
            erasure="Exports the person asked for are deleted, files too: each is built "
            "from its requester's view of the cohort, pending ones cannot be built without "
            "them, and the other leads can make a fresh one at any time.",
        ),
        Claim(
            model="cohorts.RetainedResponse",
            fields=("response",),
            purpose="Links a former member's anonymous response to the cohorts whose "
            "figures it counted in. It names nobody.",
            visible_to="Nobody directly; it feeds the cohort dashboard's aggregates.",
            retention="While the cohort exists.",
            erasure="Holds no identity; nothing to erase.",
        ),
    )

    def export(self, user) -> dict[str, Any]:
        addresses = _addresses(user)
        return {
            "memberships": [
                {"cohort": membership.cohort.name, "joined": iso(membership.joined_at)}
                for membership in Membership.objects.filter(learner=user)
                .select_related("cohort")
                .order_by("joined_at")
            ],
            "cohorts_led": [
                {"cohort": cohort.name, "created": iso(cohort.created_at)}
                for cohort in Cohort.objects.filter(leads=user).order_by("created_at")
            ],
            "cohorts_created": [
                {"cohort": cohort.name, "created": iso(cohort.created_at)}
                for cohort in Cohort.objects.filter(created_by=user).order_by("created_at")
            ],
            "invitations_to_you": [
                {
                    "cohort": invitation.cohort.name,
                    "sent_to": invitation.email,
                    "sent": iso(invitation.created_at),
                    "expires": iso(invitation.expires_at),
                    "accepted": iso(invitation.accepted_at),
                    "declined": iso(invitation.declined_at),
                    "status": str(invitation.status().label),
                }
                for invitation in Invitation.objects.filter(
                    Q(email__in=addresses) | Q(accepted_by=user)
                )
                .select_related("cohort")
                .order_by("created_at")
            ],
            # Invitations they sent: when and to which cohort, not the other people's
            # addresses, which are those people's data.
            "invitations_you_sent": [
                {"cohort": invitation.cohort.name, "sent": iso(invitation.created_at)}
                for invitation in Invitation.objects.filter(invited_by=user)
                .select_related("cohort")
                .order_by("created_at")
            ],
            "cohort_exports_you_asked_for": [
                {
                    "cohort": export.cohort.name,
                    "format": export.format,
                    "status": str(export.get_status_display()),
                    "asked": iso(export.created_at),
                }
                for export in CohortExport.objects.filter(requested_by=user)
                .select_related("cohort")
                .order_by("created_at")
            ],
        }

    def erase(self, user) -> None:
        memberships = Membership.objects.filter(learner=user)
        if not user.exclude_from_reports:
            cohort_ids = list(memberships.values_list("cohort_id", flat=True))
            response_ids = list(latest_responses_of(user).values_list("pk", flat=True))
            RetainedResponse.objects.bulk_create(
                [
                    RetainedResponse(cohort_id=cohort_id, response_id=response_id)
                    for cohort_id in cohort_ids
                    for response_id in response_ids
                ],
                ignore_conflicts=True,
            )
            if cohort_ids:
                assessment_services.responses_anonymise(
                    learner=user, responses=Response.objects.filter(pk__in=response_ids)
                )
        memberships.delete()
        Invitation.objects.filter(Q(email__in=_addresses(user)) | Q(accepted_by=user)).delete()
        exports = list(CohortExport.objects.filter(requested_by=user))
        for export in exports:
            if export.file:
                name, storage = export.file.name, export.file.storage
                transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        CohortExport.objects.filter(pk__in=[export.pk for export in exports]).delete()
        Cohort.leads.through.objects.filter(user=user).delete()
        Cohort.objects.filter(created_by=user).update(created_by=None)
