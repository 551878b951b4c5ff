"""Who the site may email on its own initiative: the one rule every kind of reminder,
nudge and digest applies.

Never email an address that is not verified, an account that is inactive or erased (an
erased account has no row left to find), a person left out of reports (staff and test
accounts), or anyone about a cohort they have left. The rule is a `Q` on people, so the
selection queries apply it in SQL; `prefix` names the path from the queried model to the
person ("learner__" from a membership, "" from the user model).

A person who never changed a preference has no `Preferences` row: `wants` reads the
DEFAULTS for them, through the same LEFT JOIN, so that filtering by preference also
stays in SQL.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from cohorts.models import Membership

from .models import DEFAULTS, Kind

PREFERENCES = "notification_preferences"


def _person_ref(prefix: str) -> str:
    return prefix[:-2] if prefix else "pk"


def may_be_emailed(prefix: str = "") -> Q:
    """People with a verified primary address, active, and counted in reports."""
    verified = EmailAddress.objects.filter(
        user=OuterRef(_person_ref(prefix)), primary=True, verified=True
    )
    return Q(
        Exists(verified),
        **{f"{prefix}is_active": True, f"{prefix}exclude_from_reports": False},
    )


def still_a_member(*, cohort_ref: str, prefix: str = "") -> Q:
    """The person is still a member of the cohort that `cohort_ref` (an outer reference
    from the queried model) names: for the kinds about a cohort."""
    return Q(
        Exists(
            Membership.objects.filter(
                cohort=OuterRef(cohort_ref), learner=OuterRef(_person_ref(prefix))
            )
        )
    )


def wants(kind: str, prefix: str = "") -> Q:
    """The person wants emails of `kind`: switched on, or never changed (the default)."""
    field = f"{prefix}{PREFERENCES}__{kind}"
    switched_on = Q(**{field: True})
    if DEFAULTS.get(kind, False):
        return switched_on | Q(**{f"{prefix}{PREFERENCES}__isnull": True})
    return switched_on


def weekly_summary_field(prefix: str = "") -> str:
    """The path to the person's weekly-summary choice (None, meaning off, without a row)."""
    return f"{prefix}{PREFERENCES}__weekly_summary"


def emailable_people() -> QuerySet:
    return get_user_model().objects.filter(may_be_emailed())


def may_email(person_id: int, kind: str) -> bool:
    """Whether `kind` may be emailed to this person now (one query): for a task that
    sends later and must check again."""
    rule = may_be_emailed()
    if kind in DEFAULTS:
        rule &= wants(kind)
    return get_user_model().objects.filter(rule, pk=person_id).exists()


LEARNER_KINDS: tuple[str, ...] = (
    Kind.NOT_STARTED,
    Kind.GONE_QUIET,
    Kind.COMMITMENT_DUE,
    Kind.TEAM_WAITING,
    Kind.MEETING_TOMORROW,
)


def still_about_them(person_id: int, kind: str, object_key: str) -> bool:
    """For the kinds about a cohort, whether the person is still in it (one query):
    a task that sends later must not email anyone about a cohort they have since left."""
    from learning_sets.models import SetMember

    _prefix, _colon, raw_id = object_key.partition(":")
    if not raw_id.isdigit():
        return kind not in (Kind.NOT_STARTED, Kind.MEETING_TOMORROW)
    if kind == Kind.NOT_STARTED:
        return Membership.objects.filter(cohort=int(raw_id), learner=person_id).exists()
    if kind == Kind.MEETING_TOMORROW:
        return (
            SetMember.objects.filter(learner=person_id, learning_set__meetings=int(raw_id))
            .filter(still_a_member(cohort_ref="cohort", prefix="learner__"))
            .exists()
        )
    return True
