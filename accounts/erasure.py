"""Erasure on request: the rules a person's own "Delete my account" and a site admin's
"Erase this person" share, around the one service that erases
(`accounts.services.account_erase`).

The one rule of its own: the site always keeps at least one active site admin. Without
one, nobody could approve organisations, manage roles, handle data requests or create
another admin except from a shell on the server. So the last site admin cannot delete
their own account (they make someone else a site admin first), and no site admin can
erase another if that would leave none. The check and the erasure run in one transaction
that locks the site admins' rows, so two site admins erasing each other at the same
moment cannot both succeed.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from . import services
from .models import User
from .roles import SITE_ADMIN, is_site_admin


class ErasureRefused(ValueError):
    """An erasure that must not happen; the message says why, for the person asking."""


def site_admins() -> QuerySet[User]:
    """Active accounts that can administer the site: superusers and the Site admin role."""
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(groups__name=SITE_ADMIN)
    )


def may_erase_others(user) -> bool:
    """Who may erase someone else (and handle data requests): whoever may delete users,
    the permission Wagtail's own "Delete user" checks (and that erases too, see
    `admin_views.UserEraseAction`). Site admins and superusers have it. It is read from
    the permissions Wagtail has already loaded for the request, so the admin menu asking
    on every page costs no query.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm("accounts.delete_user")


def is_last_site_admin(user: User) -> bool:
    """True if `user` is a site admin and no other active site admin exists."""
    if not is_site_admin(user):
        return False
    return not site_admins().exclude(pk=user.pk).exists()


def erasure_refusal(*, user: User, by: User | None = None) -> str | None:
    """Why erasing `user` (asked for by a site admin `by`, or by themselves when `by` is
    None) is refused, or None."""
    if by is not None and by.pk == user.pk:
        # The admin screens do not ask "is it you?"; the person's own page does.
        return _(
            'To delete your own account, use "Delete your account" on your profile, '
            "which asks you to confirm it is you."
        )
    if by is not None:
        if not may_erase_others(by):
            return _("Only a site admin can erase someone else's account.")
        if user.is_superuser and not by.is_superuser:
            return _("Only a superuser can erase a superuser's account.")
    if is_last_site_admin(user):
        if by is None:
            return _(
                "You are the only site admin, so you cannot delete your account yet. "
                "Give another person the Site admin role first, then come back."
            )
        return _("This is the only site admin: give another person the role first.")
    return None


@transaction.atomic
def account_erase_requested(*, user: User, by: User | None = None, reason: str = "") -> None:
    """Erase `user` at their own request (`by` None) or a site admin's (`by`),
    unless `erasure_refusal` says no (ErasureRefused, and nothing changes)."""
    # Lock every site admin's row, so that the check below holds until we commit.
    list(site_admins().select_for_update(of=("self",)).values_list("pk", flat=True))
    refusal = erasure_refusal(user=user, by=by)
    if refusal is not None:
        raise ErasureRefused(refusal)
    services.account_erase(user=user, by=by, reason=reason)
