"""The programme leads' weekly digest: for each cohort a lead leads, a handful of counts
with links to the admin pages behind them. Opt-in (`Preferences.lead_digest`).

For each cohort, over the 7 days before the run (`since` to `now`):

- **new members**: reportable members who joined in those days;
- **completions**: modules of the cohort that its members completed in those days;
- **not started**: members with no enrolment in any of the cohort's modules, by the one
  definition of "started" (`Membership.objects.with_progress`);
- **teams waiting**: self-assessment teams with at least one member of the cohort whose
  report is still locked, because fewer than MIN_GROUP_SIZE members have submitted;
- **sets that missed a meeting**: learning sets of the cohort with a meeting that started
  between 8 days and 1 day before the run with no attendance recorded at all (the day's
  grace lets the facilitator record it), or, for a set at least 28 days old, no meeting
  that started in the last 28 days.

Only counts, never a name or any text a learner wrote. The cohort dashboard shows
progress counts (members, started, not started) whatever their size and withholds only
assessment figures below MIN_GROUP_SIZE; the digest shows no assessment figures, and a
count of teams or sets says nothing about any one person's answers, so every count
follows the dashboard's rule as it stands.

`lead_digest_send` records one `Reminder` per lead and ISO week (kind `lead_digest`,
object "digest"), inserting with ignore-conflicts and then emailing only the rows this
run inserted: a second run in the same week, or two at once, sends nothing twice. It costs
the same number of queries for one cohort or hundreds, and for ten members or fifty
thousand.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.data_exports import service_name
from accounts.models import User
from assessments.models import Response, TeamMembership
from cohorts.models import Cohort, Membership
from core.mail import email_queue
from learning_sets.models import Attendance, LearningSet, Meeting
from modules.models import Enrolment, ModulePage

from . import emails, recipients
from .models import Kind, Preferences, Reminder

WEEK = datetime.timedelta(days=7)
MEETING_GRACE = datetime.timedelta(days=1)
NO_MEETING_WEEKS = 4
DIGEST_OBJECT = "digest"


@dataclass
class CohortFigures:
    cohort_id: int
    name: str
    members: int = 0
    new_members: int = 0
    completions: int = 0
    not_started: int = 0
    teams_waiting: int = 0
    sets_missed: int = 0
    links: dict[str, str] = field(default_factory=dict)


@dataclass
class Digest:
    lead: User
    cohorts: list[CohortFigures]


def iso_week(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_leads():
    """Leads who asked for the digest, lead at least one cohort and may be emailed."""
    opted_in = Preferences.objects.filter(person=OuterRef("pk"), lead_digest=True)
    leads_one = Cohort.leads.through.objects.filter(user=OuterRef("pk"))
    return (
        User.objects.filter(Exists(opted_in), Exists(leads_one))
        .filter(recipients.may_be_emailed())
        .order_by("pk")
    )


def _cohort_modules(cohort_ids: list[int]) -> dict[int, set[int]]:
    """Each cohort's live modules, as `cohorts.selectors.cohort_modules` defines them
    (assigned one by one, or in an assigned programme), for many cohorts in three
    queries."""
    modules: dict[int, set[int]] = defaultdict(set)
    assigned = list(
        Cohort.modules.through.objects.filter(cohort_id__in=cohort_ids).values_list(
            "cohort_id", "modulepage_id"
        )
    )
    programmes = list(
        Cohort.programmes.through.objects.filter(cohort_id__in=cohort_ids).values_list(
            "cohort_id", "programmepage__path"
        )
    )
    in_programmes = Q()
    for _cohort_id, path in programmes:
        in_programmes |= Q(path__startswith=path, depth=len(path) // ModulePage.steplen + 1)
    assigned_ids = {module_id for _cohort_id, module_id in assigned}
    live = list(
        ModulePage.objects.live()
        .filter(
            Q(pk__in=assigned_ids or [-1]) | in_programmes
            if programmes
            else Q(pk__in=assigned_ids or [-1])
        )
        .values_list("pk", "path")
    )
    live_ids = {pk for pk, _path in live}
    for cohort_id, module_id in assigned:
        if module_id in live_ids:
            modules[cohort_id].add(module_id)
    for cohort_id, programme_path in programmes:
        depth = len(programme_path) // ModulePage.steplen + 1
        for pk, path in live:
            if path.startswith(programme_path) and len(path) // ModulePage.steplen == depth:
                modules[cohort_id].add(pk)
    return modules


def cohort_figures(
    cohorts: list[tuple[int, str]], *, now: datetime.datetime
) -> dict[int, CohortFigures]:
    """The digest's counts for these cohorts (id, name), in a fixed number of queries."""
    since = now - WEEK
    ids = [pk for pk, _name in cohorts]
    figures = {pk: CohortFigures(cohort_id=pk, name=name) for pk, name in cohorts}
    if not ids:
        return figures
    modules = _cohort_modules(ids)
    reportable = Membership.objects.filter(cohort_id__in=ids, learner__exclude_from_reports=False)
    members: dict[int, set[int]] = defaultdict(set)
    for cohort_id, learner_id, joined_at in reportable.values_list(
        "cohort_id", "learner_id", "joined_at"
    ):
        members[cohort_id].add(learner_id)
        figures[cohort_id].members += 1
        if joined_at >= since:
            figures[cohort_id].new_members += 1
    all_modules = set().union(*modules.values()) if modules else set()
    started: dict[int, set[int]] = defaultdict(set)  # learner -> modules they started
    completed_lately: dict[int, set[int]] = defaultdict(set)
    for learner_id, module_id, completed_at in Enrolment.objects.filter(
        module_id__in=all_modules or [-1], learner__in=reportable.values("learner_id")
    ).values_list("learner_id", "module_id", "completed_at"):
        started[learner_id].add(module_id)
        if completed_at is not None and completed_at >= since:
            completed_lately[learner_id].add(module_id)
    for cohort_id, learners in members.items():
        cohort_modules = modules.get(cohort_id, set())
        for learner_id in learners:
            if not started[learner_id] & cohort_modules:
                figures[cohort_id].not_started += 1
            figures[cohort_id].completions += len(completed_lately[learner_id] & cohort_modules)

    # Teams whose report is still locked: fewer than MIN_GROUP_SIZE distinct people have
    # submitted for them (as `assessments.team_reports.team_progress` counts them).
    submitted = (
        Response.objects.submitted()
        .filter(team=OuterRef("team"))
        .order_by()
        .values("team")
        .annotate(
            people=Count("learner", distinct=True) + Count("pk", filter=Q(learner__isnull=True))
        )
        .values("people")
    )
    waiting = (
        TeamMembership.objects.filter(learner__in=reportable.values("learner_id"))
        .annotate(submitted=submitted)
        .filter(Q(submitted__isnull=True) | Q(submitted__lt=settings.MIN_GROUP_SIZE))
    )
    for cohort_id, teams in (
        reportable.filter(learner__team_memberships__in=waiting.values("pk"))
        .values("cohort_id")
        .annotate(teams=Count("learner__team_memberships__team", distinct=True))
        .values_list("cohort_id", "teams")
    ):
        figures[cohort_id].teams_waiting = teams

    # Sets that missed a meeting.
    window_start, window_end = now - WEEK - MEETING_GRACE, now - MEETING_GRACE
    unrecorded = Meeting.objects.filter(
        learning_set=OuterRef("pk"), starts_at__gte=window_start, starts_at__lt=window_end
    ).exclude(Exists(Attendance.objects.filter(meeting=OuterRef("pk"))))
    quiet_since = now - datetime.timedelta(weeks=NO_MEETING_WEEKS)
    recent = Meeting.objects.filter(
        learning_set=OuterRef("pk"), starts_at__gte=quiet_since, starts_at__lt=now
    )
    for cohort_id, missed in (
        LearningSet.objects.filter(cohort_id__in=ids)
        .filter(Q(Exists(unrecorded)) | (Q(created_at__lte=quiet_since) & ~Q(Exists(recent))))
        .values("cohort_id")
        .annotate(missed=Count("pk"))
        .values_list("cohort_id", "missed")
    ):
        figures[cohort_id].sets_missed = missed

    for pk, figure in figures.items():
        grid = emails.absolute(reverse("cohorts_admin:grid", args=[pk]))
        figure.links = {
            "dashboard": emails.absolute(reverse("cohorts_admin:dashboard", args=[pk])),
            "grid": grid,
            "not_started": f"{grid}?status=not_started",
            "sets": emails.absolute(reverse("learning_sets_admin:overview", args=[pk])),
        }
    return figures


def digests(*, now: datetime.datetime, leads=None) -> list[Digest]:
    """What each lead who asked for the digest would get now (fixed number of queries)."""
    leads = list(digest_leads() if leads is None else leads)
    pairs = list(
        Cohort.leads.through.objects.filter(user_id__in=[lead.pk for lead in leads])
        .order_by(F("cohort__name").asc(), "cohort_id")
        .values_list("user_id", "cohort_id", "cohort__name")
    )
    figures = cohort_figures(
        list({cohort_id: name for _lead, cohort_id, name in pairs}.items()), now=now
    )
    by_lead: dict[int, list[CohortFigures]] = defaultdict(list)
    for lead_id, cohort_id, _name in pairs:
        by_lead[lead_id].append(figures[cohort_id])
    return [Digest(lead=lead, cohorts=by_lead[lead.pk]) for lead in leads if by_lead[lead.pk]]


def digest_email(digest: Digest, *, week: str, site_name: str) -> EmailMultiAlternatives:
    context = {
        "lead": digest.lead,
        "cohorts": digest.cohorts,
        "week": week,
        "service_name": site_name,
        "min_group_size": settings.MIN_GROUP_SIZE,
        "no_meeting_weeks": NO_MEETING_WEEKS,
        "preferences_url": emails.preferences_url(),
        "unsubscribe_url": emails.unsubscribe_url(digest.lead.pk, Kind.LEAD_DIGEST),
    }
    subject = render_to_string("notifications/email/lead_digest_subject.txt", context).strip()
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("notifications/email/lead_digest.txt", context),
        to=[digest.lead.email],
        headers=emails.unsubscribe_headers(digest.lead.pk, Kind.LEAD_DIGEST),
    )
    email.attach_alternative(
        render_to_string("notifications/email/lead_digest.html", context), "text/html"
    )
    return email


@dataclass
class DigestRun:
    week: str
    due: list[Digest]  # those not sent yet this week
    sent: list[Digest]  # those this run recorded and queued (none on a dry run)


def lead_digest_send(
    *, now: datetime.datetime | None = None, dry_run: bool = False, run: uuid.UUID | None = None
) -> DigestRun:
    """Record and queue this week's digest for every lead who asked for it and has not had
    it this week. A dry run works out the same digests and records nothing."""
    now = now or timezone.now()
    run = run or uuid.uuid4()
    week = iso_week(timezone.localdate(now))
    already = Reminder.objects.filter(
        kind=Kind.LEAD_DIGEST, object_key=DIGEST_OBJECT, period=week
    ).values("person_id")
    due = digests(now=now, leads=digest_leads().exclude(pk__in=already))
    if dry_run or not due:
        return DigestRun(week=week, due=due, sent=[])
    site_name = service_name()
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    person=digest.lead,
                    kind=Kind.LEAD_DIGEST,
                    object_key=DIGEST_OBJECT,
                    period=week,
                    run=run,
                    created_at=now,
                    sent_at=now,
                )
                for digest in due
            ],
            ignore_conflicts=True,
        )
        mine = set(Reminder.objects.filter(run=run).values_list("person_id", flat=True))
        sent = [digest for digest in due if digest.lead.pk in mine]
        for digest in sent:
            email_queue(digest_email(digest, week=week, site_name=site_name))
    return DigestRun(week=week, due=due, sent=sent)
