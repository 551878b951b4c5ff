"""A programme lead's nudge: a short message to learners they chose in a cohort's grid.

Who is chosen is always re-read through `cohorts.permissions.visible_memberships`, so an id
the lead may not see (another cohort's learner, a guessed number) simply drops out. Of
those left, a learner is skipped when they switched "messages from your programme leads"
off, when anyone nudged them in the last 7 days (rolling: a nudge at 10:00 on Monday
allows the next from 10:00 on the Monday after), or when they may not be emailed at all.
Each nudge is one `Nudge` row with its counts, one `Reminder` per person emailed (kind
`nudge`, object `nudge:<pk>`, no period), an entry in Wagtail's audit log on the cohort,
and one email each, queued after the transaction commits.

A double click cannot send twice: the compose form carries a fresh UUID that becomes the
reminders' `run`, so a second submission of the same form finds the first one's nudge; and
the learners' rows are locked (PostgreSQL; SQLite's IMMEDIATE transactions serialise
writers) while the 7-day rule is checked and the reminders recorded, so two different
submissions at once cannot both nudge the same person.

Placeholders in the subject and message are replaced by plain substitution from a short
whitelist ({first_name}, {cohort_name}, {lead_name}): no template language ever sees the
lead's text.
"""

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from accounts.data_exports import service_name
from accounts.models import User
from cohorts.models import Cohort
from cohorts.permissions import visible_memberships
from core.mail import email_queue

from . import emails, recipients
from .models import Kind, Nudge, Preferences, Reminder

NUDGE_ACTION = "notifications.nudge"
NUDGE_INTERVAL = datetime.timedelta(days=7)
MAX_CHOSEN = 5000
SUBJECT_MAX = 150
MESSAGE_MAX = 3000
PLACEHOLDERS = ("first_name", "cohort_name", "lead_name")
PLACEHOLDER = re.compile(r"\{([^{}\s]{0,40})\}")


class NudgeError(Exception):
    """Nothing was sent; the message says why, for the lead."""


# Placeholders ---------------------------------------------------------------------------


def unknown_placeholders(text: str) -> list[str]:
    """The `{names}` in `text` that are not placeholders we fill, in order, once each."""
    unknown = []
    for name in PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    return unknown


def fill(text: str, values: dict[str, str]) -> str:
    """`text` with each known `{name}` replaced by its value, in one pass: a value that
    itself looks like a placeholder is never replaced again."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def default_subject(cohort: Cohort) -> str:
    return _("A message from your programme lead in {cohort_name}")


def default_message(cohort: Cohort) -> str:
    return _(
        "Hello {first_name},\n\n"
        "I am getting in touch about the cohort {cohort_name}. When you have a few "
        "minutes, sign in and carry on with your modules: even one short lesson this week "
        "helps the whole group learn together.\n\n"
        "If something is getting in the way, reply to this email and let me know.\n\n"
        "{lead_name}"
    )


# Who may be emailed ---------------------------------------------------------------------


def _may_be_emailed(cohort: Cohort) -> Q:
    """People this site may email (`recipients.may_be_emailed`) who are still members of
    `cohort`."""
    member = cohort.memberships.filter(learner=OuterRef("pk"))
    return recipients.may_be_emailed() & Q(Exists(member))


def _switched_off() -> Q:
    return Q(Exists(Preferences.objects.filter(person=OuterRef("pk"), nudge=False)))


def _recently_nudged(now: datetime.datetime) -> Q:
    return Q(
        Exists(
            Reminder.objects.filter(
                person=OuterRef("pk"),
                kind=Kind.NUDGE,
                held_back="",
                created_at__gt=now - NUDGE_INTERVAL,
            )
        )
    )


@dataclass
class Plan:
    """Who of the chosen would get the nudge now, and who not and why (user ids)."""

    chosen: list[int] = field(default_factory=list)
    left_out: int = 0  # ids that are not visible members of the cohort
    switched_off: list[int] = field(default_factory=list)
    recently_nudged: list[int] = field(default_factory=list)
    cannot_email: list[int] = field(default_factory=list)
    eligible: list[int] = field(default_factory=list)


def parse_ids(values: Iterable[str]) -> list[int]:
    """Distinct ids from form values: digits only, at most 18 of them; anything else is
    dropped. At most MAX_CHOSEN + 1 are kept (the caller refuses more than MAX_CHOSEN)."""
    ids: dict[int, None] = {}
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part.isascii() and part.isdigit() and len(part) <= 18:
                ids[int(part)] = None
                if len(ids) > MAX_CHOSEN:
                    return list(ids)
    return list(ids)


def nudge_plan(*, user, cohort: Cohort, learner_ids: Iterable[int], now=None) -> Plan:
    """Sort the chosen ids into who would be nudged now and who would be skipped, reading
    only members `user` may see (two queries, whatever the number chosen)."""
    now = now or timezone.now()
    wanted = set(learner_ids)
    visible = visible_memberships(user, cohort).filter(learner_id__in=wanted)
    rows = (
        User.objects.filter(pk__in=visible.values("learner_id"))
        .annotate(
            off=_switched_off(),
            recent=_recently_nudged(now),
            reachable=_may_be_emailed(cohort),
        )
        .order_by("pk")
        .values_list("pk", "off", "recent", "reachable")
    )
    plan = Plan()
    for pk, off, recent, reachable in rows:
        plan.chosen.append(pk)
        if off:
            plan.switched_off.append(pk)
        elif recent:
            plan.recently_nudged.append(pk)
        elif not reachable:
            plan.cannot_email.append(pk)
        else:
            plan.eligible.append(pk)
    plan.left_out = len(wanted) - len(plan.chosen)
    return plan


# The email ------------------------------------------------------------------------------


def placeholder_values(*, person: User, cohort: Cohort, lead: User) -> dict[str, str]:
    return {
        "first_name": person.first_name or _("there"),
        "cohort_name": cohort.name,
        "lead_name": lead.get_full_name() or _("Your programme lead"),
    }


def nudge_email(*, person: User, cohort: Cohort, lead: User, subject: str, message: str):
    """The email one learner gets: the lead's words, then who sent it, why, and how to stop
    these messages, with RFC 8058 one-click unsubscribe headers."""
    values = placeholder_values(person=person, cohort=cohort, lead=lead)
    headers = emails.unsubscribe_headers(person.pk, Kind.NUDGE)
    context = {
        "subject": " ".join(fill(subject, values).split()),
        "message": fill(message, values).replace("\r\n", "\n"),
        "lead_name": values["lead_name"],
        "cohort_name": cohort.name,
        "service_name": service_name(),
        "preferences_url": emails.preferences_url(),
        "unsubscribe_url": emails.unsubscribe_url(person.pk, Kind.NUDGE),
        "sign_in_url": emails.absolute("/"),
    }
    email = EmailMultiAlternatives(
        subject=context["subject"],
        body=render_to_string("notifications/email/nudge.txt", context),
        to=[person.email],
        reply_to=[lead.email] if lead.email else [],
        headers=headers,
    )
    email.attach_alternative(
        render_to_string("notifications/email/nudge.html", context), "text/html"
    )
    return email


# The service ----------------------------------------------------------------------------


@dataclass
class Outcome:
    nudge: Nudge | None
    plan: Plan
    repeated: bool = False  # the same form was sent before: nothing new was sent


def nudge_send(
    *,
    user: User,
    cohort: Cohort,
    learner_ids: Iterable[int],
    subject: str,
    message: str,
    run: uuid.UUID,
    now: datetime.datetime | None = None,
) -> Outcome:
    """Nudge the chosen learners `user` may see in `cohort` who are not skipped (see the
    module's docstring). `run` identifies the form: sending it again changes nothing."""
    now = now or timezone.now()
    ids = list(learner_ids)
    if len(ids) > MAX_CHOSEN:
        raise NudgeError(_("Choose at most %(most)s learners at a time.") % {"most": MAX_CHOSEN})
    if not subject.strip() or len(subject) > SUBJECT_MAX or len(message) > MESSAGE_MAX:
        raise NudgeError(_("Enter a subject and a message that are not too long."))
    if not message.strip():
        raise NudgeError(_("Enter a message."))
    if unknown_placeholders(subject) or unknown_placeholders(message):
        raise NudgeError(_("Use only the placeholders listed."))
    with transaction.atomic():
        # Lock the chosen people first, so that a second submission of this form, or a
        # nudge from another cohort, sent at the same moment waits for this one and then
        # sees its reminders.
        list(
            User.objects.select_for_update()
            .filter(
                pk__in=visible_memberships(user, cohort)
                .filter(learner_id__in=ids)
                .values("learner_id")
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        earlier = (
            Reminder.objects.filter(run=run, kind=Kind.NUDGE, nudge__cohort=cohort)
            .select_related("nudge")
            .first()
        )
        if earlier is not None:
            return Outcome(nudge=earlier.nudge, plan=Plan(), repeated=True)
        plan = nudge_plan(user=user, cohort=cohort, learner_ids=ids, now=now)
        if not plan.eligible:
            return Outcome(nudge=None, plan=plan)
        nudge = Nudge.objects.create(
            cohort=cohort,
            sent_by=user,
            subject=subject.strip(),
            message=message,
            created_at=now,
            chosen=len(plan.chosen),
            sent=len(plan.eligible),
            skipped_switched_off=len(plan.switched_off),
            skipped_recently_nudged=len(plan.recently_nudged),
        )
        Reminder.objects.bulk_create(
            [
                Reminder(
                    person_id=pk,
                    kind=Kind.NUDGE,
                    object_key=f"nudge:{nudge.pk}",
                    period="",
                    run=run,
                    nudge=nudge,
                    created_at=now,
                    sent_at=now,
                )
                for pk in plan.eligible
            ]
        )
        log(
            instance=cohort,
            action=NUDGE_ACTION,
            user=user,
            data={
                "nudge": nudge.pk,
                "chosen": nudge.chosen,
                "sent": nudge.sent,
                "switched_off": nudge.skipped_switched_off,
                "recently_nudged": nudge.skipped_recently_nudged,
                "cannot_email": len(plan.cannot_email),
            },
        )
        for person in User.objects.filter(pk__in=plan.eligible).order_by("pk"):
            email_queue(
                nudge_email(
                    person=person, cohort=cohort, lead=user, subject=subject, message=message
                )
            )
    return Outcome(nudge=nudge, plan=plan)
