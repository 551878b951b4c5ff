"""Keep sets in step with their cohort. The handlers only hand over to the services.

- Someone whose cohort membership ends (however it is deleted) leaves the cohort's set,
  taking what they shared there with them.
- When a cohort's leads change, a lead who no longer leads it stops facilitating its sets
  (unless they are a member of the set).
"""

from cohorts.models import Cohort

from . import services
from .models import LearningSet


def leave_set_with_cohort(sender, instance, **kwargs) -> None:
    services.cohort_membership_ended(cohort_id=instance.cohort_id, learner_id=instance.learner_id)


def check_facilitators_when_leads_change(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_remove", "post_clear"}:
        return
    if isinstance(instance, Cohort):
        cohort_ids = [instance.pk]
    elif pk_set:
        cohort_ids = list(pk_set)
    else:
        cohort_ids = list(
            LearningSet.objects.filter(facilitator=instance).values_list("cohort_id", flat=True)
        )
    services.facilitators_check(cohort_ids=cohort_ids)
