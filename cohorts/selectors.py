"""Reads about a cohort that every lead-facing page needs.

Pages start from `permissions.py` for the cohort and its learners; these helpers only
answer questions about a cohort the caller may already see.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from modules.models import ModulePage

from .models import Cohort


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
