"""Retention: accounts nobody uses are warned, then erased.

An account's last use is its last sign-in, or the moment it was created if it never
signed in. Once that is `ACCOUNT_RETENTION_DAYS - ACCOUNT_RETENTION_WARNING_DAYS` days
ago, the person is emailed once that the account will be erased unless they sign in.
Once it is `ACCOUNT_RETENTION_DAYS` ago and the warning went out at least
`ACCOUNT_RETENTION_WARNING_DAYS` ago, the account is erased through
`services.account_erase`, whose audit entry says the retention policy asked. A sign-in
after the warning (a later `last_login`) cancels it: the account is no longer due, and it
would be warned afresh only after another long absence.

Staff accounts (anyone with admin access, a superuser, or a staff role: site admin, course
editor, content approver, programme lead) are never erased here. They own pages, cohorts
and the audit record, a lead's cohorts would lose their lead, and erasing the last site
admin would leave nobody able to administer the site. `staff_past_retention` lists them
for the site admins' Data requests page instead, and the job counts them in its log.

`manage.py accounts_retention` runs `accounts_retention_run` daily (the scheduler). Its
queries do not depend on how many accounts are warned; each erasure costs what one
person's erasure costs.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.mail import email_queue

from . import services
from .models import User
from .roles import STAFF_ROLES

logger = logging.getLogger(__name__)

RETENTION_REASON = "Not signed in for %(days)d days: erased under the retention policy."


def retention_days() -> datetime.timedelta:
    return datetime.timedelta(days=settings.ACCOUNT_RETENTION_DAYS)


def warning_days() -> datetime.timedelta:
    # A warning period longer than the retention itself would warn at sign-up: cap it.
    return datetime.timedelta(
        days=max(0, min(settings.ACCOUNT_RETENTION_WARNING_DAYS, settings.ACCOUNT_RETENTION_DAYS))
    )


def with_last_used(queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """Users annotated with `last_used`: their last sign-in, or when they joined."""
    queryset = User.objects.all() if queryset is None else queryset
    return queryset.annotate(last_used=Coalesce("last_login", "date_joined"))


def _staff_q() -> Q:
    return Q(is_staff=True) | Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES)


def _not_staff(queryset: QuerySet[User]) -> QuerySet[User]:
    """Exclude staff with a subquery, so that the role join never duplicates a row."""
    return queryset.exclude(pk__in=User.objects.filter(_staff_q()).values("pk"))


def _warning_valid() -> Q:
    """A warning was sent and no sign-in came after it."""
    return Q(retention_warning_sent_at__isnull=False) & Q(
        retention_warning_sent_at__gte=F("last_used")
    )


def due_a_warning(*, now: datetime.datetime) -> QuerySet[User]:
    """Learners unused long enough to be warned, who have no warning still standing."""
    cutoff = now - (retention_days() - warning_days())
    return _not_staff(with_last_used()).filter(last_used__lte=cutoff).exclude(_warning_valid())


def due_erasure(*, now: datetime.datetime) -> QuerySet[User]:
    """Learners unused for the whole retention period, warned long enough ago."""
    return (
        _not_staff(with_last_used())
        .filter(last_used__lte=now - retention_days())
        .filter(_warning_valid())
        .filter(retention_warning_sent_at__lte=now - warning_days())
    )


def staff_past_retention(*, now: datetime.datetime | None = None) -> QuerySet[User]:
    """Staff accounts unused for the retention period, for a site admin to decide about."""
    now = now or timezone.now()
    staff = User.objects.filter(pk__in=User.objects.filter(_staff_q()).values("pk"))
    return (
        with_last_used(staff)
        .filter(last_used__lte=now - retention_days())
        .order_by("last_used", "pk")
    )


def retention_warning_email(
    *, user: User, last_used: datetime.datetime, erase_after: datetime.datetime
) -> EmailMessage:
    context = {
        "last_used": last_used,
        "erase_after": erase_after,
        "sign_in_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("account_login"),
        "years": round(settings.ACCOUNT_RETENTION_DAYS / 365, 1),
        "days": settings.ACCOUNT_RETENTION_DAYS,
    }
    subject = render_to_string("accounts/email/retention_warning_subject.txt", context)
    body = render_to_string("accounts/email/retention_warning_message.txt", context)
    return EmailMessage(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


@dataclass
class RetentionResult:
    warned: list[int] = field(default_factory=list)
    erased: list[int] = field(default_factory=list)
    staff_past_retention: int = 0


@transaction.atomic
def accounts_retention_warn(*, now: datetime.datetime) -> list[int]:
    """Email every learner due a warning, once, and record it; returns their ids.

    The emails are queued (`core.mail.email_queue`) and leave after the commit.
    """
    due = list(
        due_a_warning(now=now)
        .select_for_update(of=("self",), skip_locked=True)
        .only("pk", "email", "last_login", "date_joined")
    )
    erase_after = now + warning_days()
    for user in due:
        email_queue(
            retention_warning_email(
                user=user,
                last_used=user.last_used,
                erase_after=max(erase_after, user.last_used + retention_days()),
            )
        )
    ids = [user.pk for user in due]
    User.objects.filter(pk__in=ids).update(retention_warning_sent_at=now)
    return ids


def accounts_retention_erase(*, now: datetime.datetime) -> list[int]:
    """Erase every learner past retention whose warning stands; returns their ids.

    Each erasure is its own transaction (`account_erase`), so one that fails leaves the
    others done; each is checked again inside it, so a sign-in since the list was read
    saves the account.
    """
    erased = []
    for pk in list(due_erasure(now=now).values_list("pk", flat=True)):
        with transaction.atomic():
            user = due_erasure(now=now).select_for_update(of=("self",)).filter(pk=pk).first()
            if user is None:
                continue
            services.account_erase(
                user=user,
                reason=RETENTION_REASON % {"days": settings.ACCOUNT_RETENTION_DAYS},
                by_retention_policy=True,
            )
        erased.append(pk)
    return erased


def accounts_retention_run(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> RetentionResult:
    """Warn, then erase, as the module docstring says; with `dry_run`, only count."""
    now = now or timezone.now()
    staff_count = staff_past_retention(now=now).count()
    if dry_run:
        return RetentionResult(
            warned=list(due_a_warning(now=now).values_list("pk", flat=True)),
            erased=list(due_erasure(now=now).values_list("pk", flat=True)),
            staff_past_retention=staff_count,
        )
    # Erase first: an account warned today cannot be erased today anyway.
    erased = accounts_retention_erase(now=now)
    warned = accounts_retention_warn(now=now)
    if staff_count:
        logger.warning(
            "%d staff account(s) unused for %d days: a site admin decides about them "
            "(Settings > Data requests).",
            staff_count,
            settings.ACCOUNT_RETENTION_DAYS,
        )
    return RetentionResult(warned=warned, erased=erased, staff_past_retention=staff_count)
