"""Reads about a cohort that every lead-facing page needs.

Pages start from `permissions.py` for the cohort and its learners; these helpers only
answer questions about a cohort the caller may already see.
"""

import re

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from modules.models import ModulePage

from .models import Cohort, Invitation

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def cohort_modules(cohort: Cohort) -> QuerySet[ModulePage]:
    """The live modules a cohort works through, in site order: those assigned one by one
    and every live module in its assigned programmes (one query when evaluated)."""
    programme_paths = list(cohort.programmes.values_list("path", flat=True))
    in_programmes = Q()
    for path in programme_paths:
        in_programmes |= Q(path__startswith=path, depth=len(path) // ModulePage.steplen + 1)
    assigned = Q(pk__in=cohort.modules.values("pk"))
    return ModulePage.objects.live().filter(assigned | in_programmes).order_by("path")


def cohorts_left_without_a_lead(users) -> QuerySet[Cohort]:
    """The cohorts that would have no lead if every one of `users` were gone: those they
    lead with nobody else (one query when evaluated)."""
    user_ids = [user.pk for user in users]
    other_leads = Cohort.leads.through.objects.filter(cohort=OuterRef("pk")).exclude(
        user__in=user_ids
    )
    return (
        Cohort.objects.filter(leads__in=user_ids)
        .exclude(Exists(other_leads))
        .distinct()
        .order_by("name")
    )


def cohorts_without_a_lead() -> QuerySet[Cohort]:
    """Cohorts that have no lead at all, by name: left so when their last lead erased
    their account (`privacy.CohortsPrivacy.erase`). Site admins see them on the admin home
    until they give each a lead (one query when evaluated)."""
    has_lead = Cohort.leads.through.objects.filter(cohort=OuterRef("pk"))
    return Cohort.objects.exclude(Exists(has_lead)).order_by("name", "pk")


def well_formed_token(token) -> bool:
    """Whether `token` could be an invitation token (URL-safe, at most 64 characters), so
    that nothing else (a NUL byte, say) ever reaches a database lookup."""
    return isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) is not None


def invitation_by_token(token) -> Invitation | None:
    """The invitation with this token, with its cohort and lead (one query), or None."""
    if not well_formed_token(token):
        return None
    return Invitation.objects.select_related("cohort", "invited_by").filter(token=token).first()


def invitations_pending_for(learner) -> QuerySet[Invitation]:
    """Invitations waiting for `learner`'s reply: sent to one of their verified addresses,
    unanswered and unexpired, newest first, with cohort and lead (one query)."""
    if not learner.is_authenticated:
        return Invitation.objects.none()
    addresses = (
        EmailAddress.objects.filter(user=learner, verified=True)
        .annotate(address=Lower("email"))
        .values("address")
    )
    return (
        Invitation.objects.pending()
        .to_any_of(addresses)
        .select_related("cohort", "invited_by")
        .order_by("-created_at", "-pk")
    )
