"""Writes for accounts and organisations. Views and forms call these; nothing else saves."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction

from core.audit import FORMER_USER_KEY

from .models import Organisation, User
from .roles import LEARNER, SITE_ADMIN
from .validators import normalise_organisation_name


def organisation_propose(*, name: str, type: str = Organisation.Type.OTHER) -> Organisation:
    """Return the organisation with this name, creating it as pending if it is new.

    Names are compared without regard to case, so "Leeds City Council" and "leeds city
    council" are one organisation. A proposal is usable at once; a site admin approves,
    renames or merges it later.
    """
    clean_name = normalise_organisation_name(name)
    existing = Organisation.objects.by_name(clean_name).first()
    if existing is not None:
        return existing
    organisation = Organisation(name=clean_name, type=type, status=Organisation.Status.PENDING)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Someone proposed the same name a moment ago: use theirs.
        return Organisation.objects.by_name(clean_name).get()
    return organisation


def organisation_approve(*, organisation: Organisation) -> Organisation:
    organisation.status = Organisation.Status.APPROVED
    organisation.save(update_fields=["status"])
    return organisation


@transaction.atomic
def organisation_merge(*, source: Organisation, target: Organisation) -> int:
    """Move every member of `source` to `target`, then delete `source`.

    Runs in one transaction: either every member moves and the duplicate disappears, or
    nothing changes. Returns the number of members moved.
    """
    if source.pk == target.pk:
        raise ValueError("An organisation cannot be merged into itself.")
    # Lock both rows so that a sign-up choosing `source` meanwhile waits for us.
    list(Organisation.objects.select_for_update().filter(pk__in=[source.pk, target.pk]))
    moved = User.objects.filter(organisation=source).update(organisation=target)
    source.delete()
    return moved


def user_add_default_role(*, user: User) -> None:
    group, _created = Group.objects.get_or_create(name=LEARNER)
    user.groups.add(group)


def user_profile_update(
    *,
    user: User,
    first_name: str,
    last_name: str,
    organisation: Organisation,
    job_role: str,
) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.organisation = organisation
    user.job_role = job_role.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["first_name", "last_name", "organisation", "job_role"])
    return user


class AccountExists(ValueError):
    """An account (or a verified claim on the address) already exists for this email."""


@transaction.atomic
def site_admin_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    password: str,
    organisation_name: str,
    organisation_type: str = Organisation.Type.OTHER,
    job_role: str = "",
) -> User:
    """The first site admin of a fresh site: a superuser in the Site admin role, whose
    address counts as verified (there may be no working email yet) and who belongs to an
    approved organisation. With STAFF_MFA_REQUIRED on they set up an authenticator the
    first time they open the admin (`accounts.middleware.StaffMFARequiredMiddleware`).

    Refuses (AccountExists) an address that already has an account, and a password that
    fails AUTH_PASSWORD_VALIDATORS (ValidationError); either way nothing is saved.
    """
    address = User.objects.normalize_email(email.strip()).lower()
    if (
        User.objects.filter(email__iexact=address).exists()
        or EmailAddress.objects.filter(email__iexact=address).exists()
    ):
        raise AccountExists(address)
    organisation = organisation_approve(
        organisation=organisation_propose(name=organisation_name, type=organisation_type)
    )
    user = User(
        email=address,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        organisation=organisation,
        job_role=job_role.strip(),
        is_staff=True,
        is_superuser=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    for role in (SITE_ADMIN, LEARNER):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    EmailAddress.objects.create(user=user, email=address, verified=True, primary=True)
    return user


ERASE_LOG_ACTION = "accounts.erase"
ERASE_REASON_MAX_LENGTH = 1000


@transaction.atomic
def account_erase(
    *, user: User, by: User | None = None, reason: str = "", by_retention_policy: bool = False
) -> None:
    """Erase `user`: every app's privacy provider removes or anonymises what it holds,
    dependents first (the reverse of registration), then the user row goes.

    One transaction: if any provider fails, nothing changes. What is kept (responses that
    count in aggregates, certificates without a name, audit entries under a pseudonym) is
    described per model in docs/privacy.md. One audit entry records the erasure itself,
    naming the person only by their pseudonym; `by` is whoever asked (a site admin), or
    None when the person asked themselves or, with `by_retention_policy`, when the
    retention job erases an account unused for too long. Calling it for a user already
    erased is a no-op: the row is gone, so there is nothing to find.
    """
    from wagtail.log_actions import log

    from .privacy import former_user_label, registry

    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None:
        return
    user = locked
    label = former_user_label(user)
    for provider in reversed(list(registry)):
        provider.erase(user)
    by_someone_else = by is not None and by.pk != user.pk
    entry = log(
        instance=user,
        action=ERASE_LOG_ACTION,
        user=by if by_someone_else else None,
        title=label,
        data={
            "reason": reason.strip()[:ERASE_REASON_MAX_LENGTH],
            "asked_by": (
                "site admin"
                if by_someone_else
                else "retention policy"
                if by_retention_policy
                else "themselves"
            ),
        },
    )
    if entry is not None and entry.user_id == user.pk:
        # Wagtail's log context names the signed-in person, who is the one going.
        entry.user = None
        entry.data = {**entry.data, FORMER_USER_KEY: label}
        entry.save(update_fields=["user", "data"])
    user.delete()
