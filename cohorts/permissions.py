"""Who may see which learners: the only rules, used by every lead-facing page and export.

A programme lead sees the members of cohorts they lead; a site admin sees every cohort;
nobody else sees anyone. Accounts flagged `exclude_from_reports` (staff, test accounts)
are never counted or listed.
"""

from django.db.models import Exists, OuterRef, QuerySet

from accounts.models import User
from accounts.roles import PROGRAMME_LEAD, SITE_ADMIN

from .models import Cohort, Invitation, Membership, MembershipQuerySet


def is_programme_lead(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.groups.filter(name=PROGRAMME_LEAD).exists()


def _cohort_roles(user) -> set[str]:
    """Which of the two roles that see learners `user` holds (one query)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    roles = set(
        user.groups.filter(name__in=(SITE_ADMIN, PROGRAMME_LEAD)).values_list("name", flat=True)
    )
    if user.is_superuser:
        roles.add(SITE_ADMIN)
    return roles


def visible_cohorts(user) -> QuerySet[Cohort]:
    """The cohorts whose learners `user` may see."""
    roles = _cohort_roles(user)
    if SITE_ADMIN in roles:
        return Cohort.objects.all()
    if PROGRAMME_LEAD in roles:
        return Cohort.objects.filter(leads=user)
    return Cohort.objects.none()


def visible_memberships(user, cohort: Cohort | None = None) -> MembershipQuerySet:
    """Memberships `user` may see (of one cohort, if given), reportable learners only."""
    memberships = Membership.objects.filter(
        cohort__in=visible_cohorts(user).values("pk"), learner__exclude_from_reports=False
    )
    if cohort is not None:
        memberships = memberships.filter(cohort=cohort)
    return memberships


def visible_learners(user, cohort: Cohort | None = None) -> QuerySet[User]:
    """Learners `user` may see: members of the cohorts they may see (or of one of them)."""
    return User.objects.filter(
        Exists(visible_memberships(user, cohort).filter(learner=OuterRef("pk")))
    )


def cohort_for(user, cohort_id) -> Cohort | None:
    """The cohort if `user` may see it; None for any other id, existing or not."""
    return visible_cohorts(user).filter(pk=cohort_id).first()


def visible_invitations(user, cohort: Cohort) -> QuerySet[Invitation]:
    """A cohort's invitations, if `user` may see the cohort; newest first.

    Only what a lead may know is loaded: the address they typed and the dates its status
    comes from. Never the account that accepted it, nor anything about the person.
    """
    return (
        Invitation.objects.filter(cohort__in=visible_cohorts(user).values("pk"), cohort=cohort)
        .only("pk", "email", "created_at", "expires_at", "sent_at", "accepted_at", "declined_at")
        .order_by("-created_at", "-pk")
    )


def cohorts_in_audit_log(user) -> QuerySet[Cohort] | None:
    """The cohorts whose entries in Wagtail's audit log `user` may read (who viewed,
    exported or changed them); None for every cohort, deleted ones included (site
    admins). Registered with `core.audit` in `CohortsConfig.ready`."""
    if SITE_ADMIN in _cohort_roles(user):
        return None
    return visible_cohorts(user)
