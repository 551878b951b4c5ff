"""Writes for cohorts: creating and editing them, joining, invitations, access records.

Keyword-only, validated before anything is written, atomic, and safe to repeat where a
double click or a retried request could repeat them.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.models import User
from accounts.roles import PROGRAMME_LEAD, SITE_ADMIN
from assessments.join_codes import new_join_code, normalise_join_code
from modules.models import ModulePage, ProgrammePage

from . import tasks
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
) -> Cohort:
    """Check and save what a lead can set on a cohort, and log it (create and edit alike)."""
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
    """What an invitation list did, address by address."""

    added: list[User] = field(default_factory=list)  # existing accounts, now members
    already_members: list[User] = field(default_factory=list)
    invited: list[Invitation] = field(default_factory=list)  # new addresses, emailed
    already_invited: list[str] = field(default_factory=list)


@transaction.atomic
def cohort_invite(*, cohort: Cohort, invited_by: User, emails: Iterable[str]) -> InvitationOutcome:
    """Add existing accounts to the cohort and invite new addresses, all or nothing.

    `emails` must already be valid addresses (the form reports bad rows one by one). Emails
    are sent by the caller once this has committed, from the outcome.
    """
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    outcome = InvitationOutcome()
    users = {user.email.lower(): user for user in User.objects.filter(email__in=wanted)}
    members = set(
        Membership.objects.filter(cohort=cohort, learner__in=users.values()).values_list(
            "learner_id", flat=True
        )
    )
    pending = set(
        Invitation.objects.filter(cohort=cohort, email__in=wanted).values_list("email", flat=True)
    )
    now = timezone.now()
    new_members = []
    new_invitations = []
    for email in wanted:
        user = users.get(email)
        if user is not None:
            if user.pk in members:
                outcome.already_members.append(user)
            else:
                new_members.append(Membership(cohort=cohort, learner=user, joined_at=now))
                outcome.added.append(user)
        elif email in pending:
            outcome.already_invited.append(email)
        else:
            new_invitations.append(
                Invitation(
                    cohort=cohort,
                    email=email,
                    token=secrets.token_urlsafe(32),
                    invited_by=invited_by,
                    expires_at=now + datetime.timedelta(days=settings.COHORT_INVITATION_DAYS),
                )
            )
    Membership.objects.bulk_create(new_members, ignore_conflicts=True)
    outcome.invited = Invitation.objects.bulk_create(new_invitations)
    return outcome


@transaction.atomic
def invitation_accept(*, token: str, learner: User) -> Cohort:
    """Join the cohort an invitation is for; accepting twice is harmless."""
    invitation = (
        Invitation.objects.select_for_update().select_related("cohort").filter(token=token).first()
    )
    if invitation is None:
        raise JoinRefused(_("That invitation link is not right, or has been withdrawn."))
    if invitation.accepted_by_id not in (None, learner.pk):
        raise JoinRefused(_("That invitation has already been used by someone else."))
    _add_member(invitation.cohort, learner)
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = learner
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return invitation.cohort


def cohort_access_record(*, user: User, cohort: Cohort, action: str, detail: str = "") -> None:
    """Record that `user` viewed or exported `cohort`'s learners (Wagtail's audit log)."""
    log(instance=cohort, action=action, user=user, data={"detail": detail} if detail else None)


@transaction.atomic
def invitations_accept_for_email(*, learner: User) -> list[Cohort]:
    """Accept every pending invitation sent to one of the learner's confirmed addresses.

    For someone who followed an invitation, signed up and confirmed their address in
    another browser (so the invitation link's token is not in their session). Addresses
    not yet confirmed never match, so nobody joins by typing someone else's address.
    """
    from allauth.account.models import EmailAddress

    addresses = {
        address.lower()
        for address in EmailAddress.objects.filter(user=learner, verified=True).values_list(
            "email", flat=True
        )
    }
    if not addresses:
        return []
    pending = (
        Invitation.objects.select_for_update()
        .select_related("cohort")
        .filter(email__in=addresses, accepted_at__isnull=True)
        .order_by("pk")
    )
    now = timezone.now()
    cohorts = []
    for invitation in pending:
        _add_member(invitation.cohort, learner)
        invitation.accepted_at = now
        invitation.accepted_by = learner
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        cohorts.append(invitation.cohort)
    return cohorts


@transaction.atomic
def cohort_export_request(*, cohort: Cohort, user: User, export_format: str) -> CohortExport:
    """Record a requested export and queue it to be built once the transaction commits."""
    export = CohortExport.objects.create(cohort=cohort, requested_by=user, format=export_format)
    transaction.on_commit(lambda: tasks.cohort_export_build.enqueue(export.pk))
    return export


def _delete_files(storage, names: Iterable[str]) -> int:
    deleted = 0
    for name in names:
        storage.delete(name)  # a name already gone is not an error
        deleted += 1
    return deleted


def _export_folder_files(storage) -> list[str]:
    try:
        _folders, files = storage.listdir(EXPORT_FOLDER)
    except FileNotFoundError:
        return []
    return [f"{EXPORT_FOLDER}/{name}" for name in files]


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
    _delete_files(storage, (export.file.name for export in expired if export.file))
    CohortExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    deleted = len(expired)

    named = set(CohortExport.objects.exclude(file="").values_list("file", flat=True))
    deleted += _delete_files(
        storage,
        (
            name
            for name in _export_folder_files(storage)
            if name not in named and storage.get_modified_time(name) <= now - retention
        ),
    )
    public = storages["default"]
    deleted += _delete_files(
        public,
        (name for name in _export_folder_files(public) if name.lower().endswith((".csv", ".xlsx"))),
    )
    return deleted
