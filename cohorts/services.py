"""Writes for cohorts: creating and editing them, joining, invitations, access records.

Keyword-only, validated before anything is written, atomic, and safe to repeat where a
double click or a retried request could repeat them.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import User
from accounts.roles import PROGRAMME_LEAD, SITE_ADMIN
from core.codes import new_join_code, normalise_join_code
from core.storage import files_delete, folder_files, orphans_delete
from modules.models import ModulePage, ProgrammePage

from . import selectors, tasks
from .models import EXPORT_FOLDER, Cohort, CohortExport, Invitation, Membership

JOIN_CODE_LENGTH = 10

VIEW_ACTION = "cohorts.view"
EXPORT_ACTION = "cohorts.export"


class CohortError(ValueError):
    """A request that cannot be carried out; the message says why, for the person."""


class JoinRefused(CohortError):
    pass


def _check_dates(start_date, end_date) -> None:
    if start_date and end_date and end_date < start_date:
        raise CohortError(_("The end date must be on or after the start date."))


def _check_leads(leads: Iterable[User]) -> list[User]:
    """`leads` if every one holds a role that may lead a cohort (one query)."""
    leads = list(dict.fromkeys(leads))
    allowed = set(
        User.objects.filter(pk__in=[lead.pk for lead in leads])
        .filter(Q(is_superuser=True) | Q(groups__name__in=(PROGRAMME_LEAD, SITE_ADMIN)))
        .values_list("pk", flat=True)
    )
    for lead in leads:
        if lead.pk not in allowed or not lead.is_active:
            raise CohortError(
                _("%(name)s is not a programme lead, so cannot lead a cohort.")
                % {"name": lead.get_full_name() or lead.email}
            )
    return leads


def _save_details(
    cohort: Cohort,
    *,
    user: User,
    action: str,
    name: str,
    description: str,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    programmes: Iterable[ProgrammePage],
    modules: Iterable[ModulePage],
    leads: Iterable[User],
    code_expires_at: datetime.datetime | None,
    capacity: int | None,
    set_size_min: int | None = None,
    set_size_max: int | None = None,
) -> Cohort:
    """Check and save what a lead can set on a cohort, and log it (create and edit alike).
    Set sizes left as None keep the cohort's current ones."""
    name = " ".join(name.split())
    if not name:
        raise CohortError(_("Give the cohort a name."))
    _check_dates(start_date, end_date)
    leads = _check_leads(leads)
    if not leads:
        raise CohortError(_("A cohort needs at least one lead."))
    cohort.name = name
    cohort.description = description.strip()
    cohort.start_date = start_date
    cohort.end_date = end_date
    cohort.code_expires_at = code_expires_at
    cohort.capacity = capacity
    if set_size_min is not None:
        cohort.set_size_min = set_size_min
    if set_size_max is not None:
        cohort.set_size_max = set_size_max
    if not 2 <= cohort.set_size_min <= cohort.set_size_max <= 12:
        raise CohortError(
            _("Learning sets must hold between 2 and 12 people, the fewest no more than the most.")
        )
    cohort.full_clean()
    cohort.save()
    cohort.leads.set(leads)
    cohort.programmes.set(programmes)
    cohort.modules.set(modules)
    log(instance=cohort, action=action, user=user)
    return cohort


@transaction.atomic
def cohort_create(
    *,
    lead: User,
    name: str,
    description: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    programmes: Iterable[ProgrammePage] = (),
    modules: Iterable[ModulePage] = (),
    co_leads: Iterable[User] = (),
    code_expires_at: datetime.datetime | None = None,
    capacity: int | None = None,
    set_size_min: int | None = None,
    set_size_max: int | None = None,
) -> Cohort:
    """A new cohort led by `lead` (and any co-leads), with its own join code."""
    return _save_details(
        Cohort(created_by=lead, join_code=new_join_code(JOIN_CODE_LENGTH)),
        user=lead,
        action="wagtail.create",
        name=name,
        description=description,
        start_date=start_date,
        end_date=end_date,
        programmes=programmes,
        modules=modules,
        leads=[lead, *co_leads],
        code_expires_at=code_expires_at,
        capacity=capacity,
        set_size_min=set_size_min,
        set_size_max=set_size_max,
    )


@transaction.atomic
def cohort_update(
    *,
    cohort: Cohort,
    user: User,
    name: str,
    description: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    programmes: Iterable[ProgrammePage] = (),
    modules: Iterable[ModulePage] = (),
    leads: Iterable[User] = (),
    code_expires_at: datetime.datetime | None = None,
    capacity: int | None = None,
    set_size_min: int | None = None,
    set_size_max: int | None = None,
) -> Cohort:
    """Change a cohort's details; its members and their progress are never touched."""
    return _save_details(
        cohort,
        user=user,
        action="wagtail.edit",
        name=name,
        description=description,
        start_date=start_date,
        end_date=end_date,
        programmes=programmes,
        modules=modules,
        leads=leads,
        code_expires_at=code_expires_at,
        capacity=capacity,
        set_size_min=set_size_min,
        set_size_max=set_size_max,
    )


def _add_member(cohort: Cohort, learner: User) -> bool:
    """Add `learner` to `cohort`; False if they were already a member."""
    try:
        with transaction.atomic():
            _membership, created = Membership.objects.get_or_create(
                cohort=cohort, learner=learner, defaults={"joined_at": timezone.now()}
            )
    except IntegrityError:
        return False
    return created


@transaction.atomic
def cohort_join(*, learner: User, code: str) -> Cohort:
    """Add the learner to the cohort with this join code; joining twice is harmless."""
    normalised = normalise_join_code(code)
    cohort = (
        Cohort.objects.select_for_update().filter(join_code=normalised).first()
        if normalised
        else None
    )
    if cohort is None:
        raise JoinRefused(_("That join code is not right. Check it and try again."))
    if Membership.objects.filter(cohort=cohort, learner=learner).exists():
        return cohort
    if cohort.code_expires_at is not None and cohort.code_expires_at <= timezone.now():
        raise JoinRefused(_("That join link has expired. Ask your programme lead for a new one."))
    if cohort.capacity is not None and cohort.memberships.count() >= cohort.capacity:
        raise JoinRefused(_("That cohort is full. Ask your programme lead for help."))
    _add_member(cohort, learner)
    return cohort


@dataclass
class InvitationOutcome:
    """What an invitation list did, as the lead may see it: by the addresses they typed,
    never by account (nothing here says whether an address has one)."""

    invited: list[str] = field(default_factory=list)  # new addresses, email queued
    reinvited: list[str] = field(default_factory=list)  # expired or declined, sent again
    already_members: list[str] = field(default_factory=list)  # of this cohort
    already_invited: list[str] = field(default_factory=list)  # still waiting for a reply
    queued: list[int] = field(default_factory=list)  # invitations whose email is queued


class InvitationRefused(JoinRefused):
    """An invitation that this person cannot use now; the message says why."""


class InvitationNotFound(InvitationRefused):
    pass


class InvitationForAnotherAddress(InvitationRefused):
    pass


class InvitationUsed(InvitationRefused):
    pass


class InvitationExpired(InvitationRefused):
    pass


RENEWED_FIELDS = [
    "token",
    "invited_by",
    "expires_at",
    "sent_at",
    "accepted_at",
    "accepted_by",
    "declined_at",
]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.COHORT_INVITATION_DAYS)


def _queue_invitation_emails(invitation_ids: list[int], base_url: str | None) -> None:
    """One task per invitation, queued once the invitations are committed."""
    base_url = base_url or settings.WAGTAILADMIN_BASE_URL
    for invitation_id in invitation_ids:
        transaction.on_commit(
            partial(tasks.invitation_email_send.enqueue, invitation_id, base_url), robust=True
        )


@transaction.atomic
def cohort_invite(
    *,
    cohort: Cohort,
    invited_by: User,
    emails: Iterable[str],
    base_url: str | None = None,
) -> InvitationOutcome:
    """Invite every address to `cohort`, all or nothing; nobody joins until they accept.

    Accounts and new addresses are treated alike (a pending invitation each), so the
    outcome says nothing about who has an account. An invitation still waiting whose email
    was never sent is queued again; an expired or declined one (or an accepted one whose
    learner has since left) is renewed: a new token, a new expiry, its reply cleared, and
    sent again. `emails` must already be valid addresses (the form reports bad rows one by
    one). Each email is a task queued after commit; `base_url` is the site's address for
    the links (the setting WAGTAILADMIN_BASE_URL if not given).
    """
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    outcome = InvitationOutcome()
    member_ids = set(Membership.objects.filter(cohort=cohort).values_list("learner_id", flat=True))
    member_emails = set(
        Membership.objects.filter(cohort=cohort)
        .annotate(address=Lower("learner__email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
    existing = {
        invitation.email: invitation
        for invitation in Invitation.objects.select_for_update().filter(
            cohort=cohort, email__in=wanted
        )
    }
    now = timezone.now()
    new_invitations = []
    renewed = []
    for email in wanted:
        invitation = existing.get(email)
        if email in member_emails or (
            invitation is not None
            and invitation.accepted_at is not None
            and invitation.accepted_by_id in member_ids
        ):
            outcome.already_members.append(email)
        elif invitation is None:
            new_invitations.append(
                Invitation(
                    cohort=cohort,
                    email=email,
                    token=_new_token(),
                    invited_by=invited_by,
                    expires_at=_invitation_expiry(now),
                )
            )
            outcome.invited.append(email)
        elif invitation.status(now) == Invitation.Status.WAITING:
            outcome.already_invited.append(email)
            if invitation.sent_at is None:
                outcome.queued.append(invitation.pk)
        else:
            invitation.token = _new_token()
            invitation.invited_by = invited_by
            invitation.expires_at = _invitation_expiry(now)
            invitation.sent_at = None
            invitation.accepted_at = None
            invitation.accepted_by = None
            invitation.declined_at = None
            renewed.append(invitation)
            outcome.reinvited.append(email)
            outcome.queued.append(invitation.pk)
    Invitation.objects.bulk_update(renewed, RENEWED_FIELDS)
    created = Invitation.objects.bulk_create(new_invitations)
    if any(invitation.pk is None for invitation in created):  # backends that return no ids
        created = list(
            Invitation.objects.filter(cohort=cohort, email__in=outcome.invited).order_by("pk")
        )
    outcome.queued.extend(invitation.pk for invitation in created)
    _queue_invitation_emails(outcome.queued, base_url)
    return outcome


def _owns_address(learner: User, email: str) -> bool:
    """Whether `email` is one of the learner's verified addresses (any case)."""
    return EmailAddress.objects.filter(user=learner, verified=True, email__iexact=email).exists()


def invitation_check(invitation: Invitation, *, learner: User) -> None:
    """Raise why `learner` cannot answer `invitation` now; nothing if they may, or if they
    have already accepted it. Writes nothing (the invitation page's GET uses it too)."""
    if invitation.accepted_by_id == learner.pk:
        return
    if not _owns_address(learner, invitation.email):
        raise InvitationForAnotherAddress(
            _(
                "This invitation was sent to a different email address from the one you "
                "signed in with. Sign out, then sign in (or create an account) with the "
                "address the invitation was sent to."
            )
        )
    if invitation.accepted_at is not None:
        raise InvitationUsed(_("That invitation has already been used."))
    if invitation.declined_at is not None:
        raise InvitationUsed(
            _("You declined that invitation. Ask your programme lead to invite you again.")
        )
    if invitation.is_expired():
        raise InvitationExpired(
            _("That invitation has expired. Ask your programme lead to invite you again.")
        )


def _locked_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update().select_related("cohort").filter(token=token).first()
        if selectors.well_formed_token(token)
        else None
    )
    if invitation is None:
        raise InvitationNotFound(_("That invitation link is not right, or has been withdrawn."))
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, learner: User) -> Cohort:
    """Join the cohort an invitation is for, if it was sent to one of the learner's
    verified addresses and is neither used nor expired. Accepting twice is harmless."""
    invitation = _locked_invitation(token)
    invitation_check(invitation, learner=learner)
    if invitation.accepted_by_id == learner.pk:
        return invitation.cohort
    _add_member(invitation.cohort, learner)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = learner
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.cohort


@transaction.atomic
def invitation_decline(*, token: str, learner: User) -> Invitation:
    """Turn down an invitation sent to one of the learner's verified addresses. Declining
    twice is harmless; an accepted or expired invitation cannot be declined."""
    invitation = _locked_invitation(token)
    if invitation.accepted_by_id == learner.pk:
        raise InvitationUsed(
            _("You have already accepted that invitation, so you are a member of the cohort.")
        )
    if invitation.declined_at is not None and _owns_address(learner, invitation.email):
        return invitation
    invitation_check(invitation, learner=learner)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    return invitation


def cohort_access_record(*, user: User, cohort: Cohort, action: str, detail: str = "") -> None:
    """Record that `user` viewed or exported `cohort`'s learners (Wagtail's audit log)."""
    log(instance=cohort, action=action, user=user, data={"detail": detail} if detail else None)


@transaction.atomic
def cohort_export_request(*, cohort: Cohort, user: User, export_format: str) -> CohortExport:
    """Record a requested export and queue it to be built once the transaction commits."""
    export = CohortExport.objects.create(cohort=cohort, requested_by=user, format=export_format)
    transaction.on_commit(lambda: tasks.cohort_export_build.enqueue(export.pk))
    return export


def cohort_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete every export past its expiry (or, with no expiry, older than the retention),
    file and row; returns how many files and rows went (an export with a file counts once).

    It also deletes, once they are older than the retention, files in the private export
    folder that no export names (a cohort or its requester was deleted, or a build was cut
    short), and every export that earlier versions left in the public media storage.
    Production runs it on a schedule (`manage.py cohort_exports_expire`).
    """
    now = now or timezone.now()
    retention = datetime.timedelta(days=settings.COHORT_EXPORT_RETENTION_DAYS)
    storage = CohortExport._meta.get_field("file").storage
    expired = list(CohortExport.objects.expired(now=now, retention=retention).only("pk", "file"))
    # The files first: if a deletion fails, the rows are still there for the next run.
    files_delete(storage, (export.file.name for export in expired if export.file))
    CohortExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    deleted = len(expired)

    deleted += orphans_delete(
        storage=storage,
        folder=EXPORT_FOLDER,
        named=CohortExport.objects.exclude(file="").values_list("file", flat=True),
        older_than=now - retention,
    )
    public = storages["default"]
    deleted += files_delete(
        public,
        (
            name
            for name in folder_files(public, EXPORT_FOLDER)
            if name.lower().endswith((".csv", ".xlsx"))
        ),
    )
    return deleted


def invitations_expired_delete(*, now: datetime.datetime | None = None) -> int:
    """Delete every invitation that expired without being accepted (declined ones
    included); returns how many went. Accepted ones stay with their cohort.

    Expired invitations can no longer be used, and each holds an email address; the lead's
    invitation list forgets them, and inviting the address again sends a fresh one.
    Production runs it daily (`manage.py cohort_invitations_expire`).
    """
    now = now or timezone.now()
    _total, by_model = Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lte=now
    ).delete()
    return by_model.get(Invitation._meta.label, 0)
