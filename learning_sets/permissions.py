"""Which action-learning sets a user may see as a lead or facilitator.

Built on the cohorts' one visibility rule (`cohorts.permissions.visible_cohorts`): the
leads of a cohort, and site admins, see its sets; a set's facilitator also sees their own
set. What they see of a set (who is in it, attendance and counts, never the text members
share) is up to the pages; members' own view of their set is `access.py`'s.
"""

from django.db.models import Q, QuerySet

from cohorts.models import Cohort
from cohorts.permissions import cohorts_in_audit_log, visible_cohorts, visible_memberships

from .models import LearningSet, SetMember


def visible_sets(user) -> QuerySet[LearningSet]:
    """The sets `user` may oversee: those of the cohorts they may see, and any set they
    facilitate."""
    if not user.is_authenticated or not user.is_active:
        return LearningSet.objects.none()
    return LearningSet.objects.filter(
        Q(cohort__in=visible_cohorts(user).values("pk")) | Q(facilitator=user)
    )


def set_for_lead(user, set_id) -> LearningSet | None:
    """The set if `user` may oversee it; None for any other id, existing or not."""
    return visible_sets(user).filter(pk=set_id).select_related("cohort").first()


def cohort_set_for_lead(user, cohort: Cohort, set_id) -> LearningSet | None:
    """One of `cohort`'s sets, if `user` may see the cohort (the lead's admin pages)."""
    return (
        LearningSet.objects.filter(cohort__in=visible_cohorts(user).values("pk"), cohort=cohort)
        .filter(pk=set_id)
        .first()
    )


def cohort_sets(user, cohort: Cohort) -> QuerySet[LearningSet]:
    """`cohort`'s sets, if `user` may see the cohort; none otherwise."""
    return LearningSet.objects.filter(cohort__in=visible_cohorts(user).values("pk"), cohort=cohort)


def cohort_set_members(user, cohort: Cohort) -> QuerySet[SetMember]:
    """Who is in `cohort`'s sets, if `user` may see the cohort."""
    return SetMember.objects.filter(cohort__in=visible_cohorts(user).values("pk"), cohort=cohort)


def unplaced_memberships(user, cohort: Cohort):
    """`cohort`'s members, as `user` may see them, who are in none of its sets. Those
    excluded from reports are left out (`visible_memberships`), so suggestions never
    place them."""
    placed = SetMember.objects.filter(cohort=cohort).values("learner")
    return visible_memberships(user, cohort).exclude(learner__in=placed)


def sets_in_audit_log(user) -> QuerySet[LearningSet] | None:
    """The sets whose entries in Wagtail's audit log `user` may read; None for every set,
    deleted ones included (site admins). Registered with `core.audit`."""
    if cohorts_in_audit_log(user) is None:
        return None
    return LearningSet.objects.filter(cohort__in=visible_cohorts(user).values("pk"))
