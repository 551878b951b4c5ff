"""Build cohorts, leads and progress for tests.

Cohorts are made through the same services leads use. `progress()` writes enrolments
directly (as `modules.services` would leave them) so that tests at several sizes stay quick.
"""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import LEARNER, PROGRAMME_LEAD, SITE_ADMIN
from cohorts import services
from cohorts.models import Cohort, Membership
from modules.models import Enrolment, ModulePage
from tests.factories import UserFactory


def with_role(user, *roles: str):
    for role in (LEARNER, *roles):
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


def make_lead(**fields):
    return with_role(UserFactory(**fields), PROGRAMME_LEAD)


def make_site_admin(**fields):
    return with_role(UserFactory(**fields), SITE_ADMIN)


def make_cohort(*, lead, name="Leading across Northfield", modules=(), programmes=(), **fields):
    return services.cohort_create(
        lead=lead, name=name, modules=modules, programmes=programmes, **fields
    )


def add_members(cohort: Cohort, learners, *, joined_days_ago: int = 30) -> None:
    joined = timezone.now() - datetime.timedelta(days=joined_days_ago)
    Membership.objects.bulk_create(
        [Membership(cohort=cohort, learner=learner, joined_at=joined) for learner in learners],
        ignore_conflicts=True,
    )


def progress(
    learner,
    module: ModulePage,
    *,
    done: int,
    total: int,
    started_days_ago: int = 20,
    completed_days_ago: int | None = None,
    minutes: int = 0,
) -> Enrolment:
    """An enrolment as the progress services leave it: `done` of `total` lessons, complete
    (with its date) when `completed_days_ago` is given."""
    now = timezone.now()
    return Enrolment.objects.create(
        learner=learner,
        module=module,
        module_title=module.title,
        started_at=now - datetime.timedelta(days=started_days_ago),
        last_visited_at=now - datetime.timedelta(days=completed_days_ago or 0),
        completed_at=(
            now - datetime.timedelta(days=completed_days_ago)
            if completed_days_ago is not None
            else None
        ),
        lessons_total=total,
        lessons_completed=done,
        seconds_on_page=minutes * 60,
    )
