"""Reads about a cohort that every lead-facing page needs.

Pages start from `permissions.py` for the cohort and its learners; these helpers only
answer questions about a cohort the caller may already see.
"""

from django.db.models import Q, QuerySet

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
