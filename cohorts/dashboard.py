"""The figures on a cohort's dashboard, each worked out in the database.

Every figure starts from `permissions.visible_memberships`, so only reportable members of a
cohort the user may see are counted. The whole dashboard costs the same number of queries
for three members or five thousand, and for two modules or twelve: counts are aggregated
with Count(filter=...), Exists and Subquery rather than in Python loops.

Self-assessment figures are anonymous: per instrument, each member's latest submitted
response counts once, and means and spreads appear only once at least MIN_GROUP_SIZE
members have answered. Individual results appear only where the learner chose to share
them, and never their answers.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Concat, Substr, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from assessments.models import DimensionScore, Response
from assessments.selectors import shared_results
from modules.models import Enrolment, ModulePage

from . import charts, permissions, selectors
from .models import Cohort, Membership, MembershipQuerySet, RetainedResponse

NOT_STARTED_AFTER_DAYS = 14
WEEKS_SHOWN = 12


# What the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    members: int
    started: int
    completed: int
    not_started_after_14_days: int


@dataclass(frozen=True)
class OrganisationRow:
    name: str
    type_label: str
    members: int
    started: int
    completed: int

    @property
    def percent_complete(self) -> str:
        return charts.percent_text(self.completed, self.members)

    @property
    def bar(self) -> charts.Bar:
        return charts.completion_bar(self.name, self.completed, self.members)


@dataclass(frozen=True)
class ModuleRow:
    title: str
    not_started: int
    in_progress: int
    completed: int

    @property
    def bar(self) -> charts.StackedBar:
        return charts.stacked_bar(
            self.title,
            [
                (_("Completed"), self.completed, charts.COMPLETED),
                (_("In progress"), self.in_progress, charts.IN_PROGRESS),
                (_("Not started"), self.not_started, charts.NOT_STARTED),
            ],
        )


@dataclass(frozen=True)
class Week:
    starts: datetime.date
    completions: int


@dataclass(frozen=True)
class DimensionSummary:
    name: str
    responses: int
    mean: float | None  # None when fewer than MIN_GROUP_SIZE responses scored it
    spread: float | None
    minimum: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class InstrumentSummary:
    title: str
    responses: int
    dimensions: tuple[DimensionSummary, ...] = ()

    @property
    def withheld(self) -> bool:
        return self.responses < settings.MIN_GROUP_SIZE


@dataclass(frozen=True)
class SharedResult:
    learner_name: str
    instrument_title: str
    submitted_at: datetime.datetime
    scores: tuple[DimensionScore, ...]


@dataclass(frozen=True)
class Dashboard:
    cohort: Cohort
    modules: tuple[ModulePage, ...]
    headline: Headline
    organisations: tuple[OrganisationRow, ...]
    module_rows: tuple[ModuleRow, ...]
    weeks: tuple[Week, ...]
    instruments: tuple[InstrumentSummary, ...]
    shared: tuple[SharedResult, ...]
    min_group_size: int = field(default_factory=lambda: settings.MIN_GROUP_SIZE)

    @property
    def week_chart(self) -> charts.ColumnChart | None:
        return charts.week_columns(
            [(week.starts, week.completions) for week in self.weeks],
            title=_("Modules completed per week"),
        )

    @property
    def completions_in_weeks(self) -> int:
        return sum(week.completions for week in self.weeks)


# Progress --------------------------------------------------------------------------------


def progress_figures(
    memberships: MembershipQuerySet, module_ids: Sequence[int], *, now: datetime.datetime
) -> tuple[Headline, tuple[OrganisationRow, ...]]:
    """The headline (members, started, completed every module, not started 14 days after
    joining) and members, started and completed per organisation, most members first (two
    queries).

    One grouped query reads each member's organisation and progress
    (`Membership.objects.with_progress`, as the grid and the exports do); the members are
    counted per organisation here, and the headline is the sum of the organisations."""
    joined_before = now - datetime.timedelta(days=NOT_STARTED_AFTER_DAYS)
    rows = (
        memberships.with_progress(module_ids)
        .annotate(
            stalled=ExpressionWrapper(
                Q(has_started=False, joined_at__lte=joined_before), output_field=BooleanField()
            )
        )
        .order_by()
        .values_list("learner__organisation_id", "has_started", "has_completed", "stalled")
    )
    counts: dict[int | None, list[int]] = {}
    for organisation_id, started, completed, stalled in rows:
        figures = counts.setdefault(organisation_id, [0, 0, 0, 0])
        figures[0] += 1
        figures[1] += started
        figures[2] += completed
        figures[3] += stalled
    totals = [sum(column) for column in zip(*counts.values(), strict=False)] or [0, 0, 0, 0]
    headline = Headline(
        members=totals[0],
        started=totals[1],
        completed=totals[2],
        not_started_after_14_days=totals[3],
    )
    return headline, _organisation_rows(counts)


def _organisation_rows(counts: dict[int | None, list[int]]) -> tuple[OrganisationRow, ...]:
    """One row per organisation from {organisation id: [members, started, completed, ...]}:
    most members first, then by name, members with no organisation last (one query)."""
    organisations = {
        pk: (name, kind)
        for pk, name, kind in Organisation.objects.filter(
            pk__in=[pk for pk in counts if pk is not None]
        ).values_list("pk", "name", "type")
    }
    types = dict(Organisation.Type.choices)
    keyed = []
    for pk, (members, started, completed, *_rest) in counts.items():
        name, kind = organisations.get(pk, ("", "")) if pk is not None else ("", "")
        row = OrganisationRow(
            name=name or _("No organisation given"),
            type_label=str(types.get(kind, "")) if kind else "",
            members=members,
            started=started,
            completed=completed,
        )
        keyed.append(((-members, pk is None, name, pk or 0), row))
    keyed.sort(key=lambda item: item[0])
    return tuple(row for _key, row in keyed)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weeks_shown(cohort: Cohort, *, now: datetime.datetime) -> list[datetime.date]:
    """The Mondays of the last WEEKS_SHOWN weeks (London time), this one included, or of the
    weeks since the cohort started if that is fewer."""
    this_week = _monday(timezone.localdate(now, ZoneInfo(settings.TIME_ZONE)))
    first = this_week - datetime.timedelta(weeks=WEEKS_SHOWN - 1)
    if cohort.start_date is not None:
        first = max(first, _monday(cohort.start_date))
    count = (this_week - first).days // 7 + 1
    return [first + datetime.timedelta(weeks=index) for index in range(max(0, count))]


def completion_buckets(field: str, *, using: str):
    """An expression that cuts the instants in `field` into parts no longer than a London
    day, without a function call per row in Python.

    On PostgreSQL, the London date (`TruncDate` runs in the database). SQLite has no time
    zones, so Django would convert every row in a Python function: there, the UTC date and
    whether the hour is 23, as text that `bucket_date` turns into a London date
    ("2025-06-29 00" for 00:00 to 22:59 UTC, "2025-06-29 23" for the last hour). London is
    UTC or an hour ahead, so only the last UTC hour of a day can fall on the next London
    day; two parts a day keep the groups few."""
    if connections[using].vendor == "sqlite":
        last_hour = Case(
            When(Exact(Substr(field, 12, 2), Value("23")), then=Value("23")),
            default=Value("00"),
            output_field=CharField(),
        )
        return Concat(Substr(field, 1, 11), last_hour, output_field=CharField())
    return TruncDate(field, tzinfo=ZoneInfo(settings.TIME_ZONE))


def bucket_date(bucket: datetime.date | str) -> datetime.date:
    """The London date of a value of `completion_buckets`."""
    if isinstance(bucket, str):
        hour = datetime.datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=datetime.UTC)
        return timezone.localtime(hour, ZoneInfo(settings.TIME_ZONE)).date()
    return bucket


def by_module_and_week(
    memberships: QuerySet[Membership],
    modules: Sequence[ModulePage],
    members: int,
    weeks: Sequence[datetime.date],
) -> tuple[tuple[ModuleRow, ...], tuple[Week, ...]]:
    """Per module, in the cohort's order: members not started, in progress and completed;
    and completions of those modules per week from Monday, London time, for `weeks`.

    One query (none without modules) reads the members' enrolments once, grouped by module
    and by the day (on SQLite, part of a UTC day: `completion_buckets`) of each completion
    since the first week shown; the days are folded into weeks here. At 50,000 learners on
    PostgreSQL it costs about half what a query for each figure did (bench/README.md)."""
    totals: dict[int, tuple[int, int]] = {}
    per_week: dict[datetime.date, int] = {}
    if modules:
        bucket = completion_buckets("completed_at", using=memberships.db)
        shown: Case | Value
        if weeks:
            london = ZoneInfo(settings.TIME_ZONE)
            since = datetime.datetime.combine(weeks[0], datetime.time.min, tzinfo=london)
            shown = Case(When(completed_at__gte=since, then=bucket), default=None)
        else:
            shown = Value(None)
        rows = (
            Enrolment.objects.filter(
                module_id__in=[module.pk for module in modules],
                learner_id__in=memberships.values("learner_id"),
            )
            .annotate(bucket=ExpressionWrapper(shown, output_field=bucket.output_field))
            .order_by()
            .values_list("module_id", "bucket")
            .annotate(
                in_progress=Count("pk", filter=Q(completed_at__isnull=True)),
                completed=Count("pk", filter=Q(completed_at__isnull=False)),
            )
        )
        for module_id, day, in_progress, completed in rows:
            before = totals.get(module_id, (0, 0))
            totals[module_id] = (before[0] + in_progress, before[1] + completed)
            if day is not None:
                week = _monday(bucket_date(day))
                per_week[week] = per_week.get(week, 0) + completed
    module_rows = []
    for module in modules:
        in_progress, completed = totals.get(module.pk, (0, 0))
        module_rows.append(
            ModuleRow(
                title=module.title,
                not_started=max(0, members - in_progress - completed),
                in_progress=in_progress,
                completed=completed,
            )
        )
    return (
        tuple(module_rows),
        tuple(Week(starts=week, completions=per_week.get(week, 0)) for week in weeks),
    )


# Self-assessments -------------------------------------------------------------------------


def latest_responses(
    memberships: QuerySet[Membership], *, cohort: Cohort | None = None
) -> QuerySet[Response]:
    """Each member's latest submitted response to each instrument (team ones included).

    With `cohort`, also the responses that former members left in its figures when they
    erased their accounts (`RetainedResponse`, one per former member and instrument), so
    that the figures stay as they were.
    """
    submitted = Response.objects.submitted()
    later = submitted.filter(learner=OuterRef("learner"), instrument=OuterRef("instrument")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at"))
        | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    members = Q(learner_id__in=memberships.values("learner_id")) & ~Exists(later)
    if cohort is None:
        return submitted.filter(members)
    retained = RetainedResponse.objects.filter(cohort=cohort).values("response_id")
    return submitted.filter(members | Q(pk__in=retained, learner__isnull=True))


def _sample_spread(total: Decimal, squares: Decimal, count: int) -> float | None:
    """The sample standard deviation from a sum, a sum of squares and a count."""
    if count < 2:
        return None
    variance = (Decimal(squares) - Decimal(total) * Decimal(total) / count) / (count - 1)
    return float(max(Decimal(0), variance).sqrt())


def assessment_summaries(
    memberships: QuerySet[Membership], *, cohort: Cohort | None = None
) -> tuple[InstrumentSummary, ...]:
    """Per instrument a member has submitted: how many members' latest responses, and per
    dimension their mean and spread once at least MIN_GROUP_SIZE of them scored it (one query,
    or two when any instrument has enough responses). With `cohort`, former members'
    retained responses count too (`latest_responses`)."""
    minimum = settings.MIN_GROUP_SIZE
    latest = latest_responses(memberships, cohort=cohort)
    counts = list(
        latest.order_by()
        .values("instrument_id", "instrument__title")
        .annotate(responses=Count("pk"))
        .order_by("instrument__title", "instrument_id")
    )
    shown = [row["instrument_id"] for row in counts if row["responses"] >= minimum]
    dimensions: dict[int, list[DimensionSummary]] = {}
    if shown:
        squared = ExpressionWrapper(
            F("scaled_score") * F("scaled_score"),
            output_field=DecimalField(max_digits=30, decimal_places=8),
        )
        rows = (
            DimensionScore.objects.filter(response__in=latest, response__instrument_id__in=shown)
            .order_by()
            .values("response__instrument_id", "dimension_key")
            .annotate(
                count=Count("pk"),
                total=Sum("scaled_score"),
                squares=Sum(squared),
                name=Max("name"),
                position=Min("position"),
                lowest=Min("minimum"),
                highest=Max("maximum"),
            )
            .order_by("response__instrument_id", "position", "dimension_key")
        )
        for row in rows:
            enough = row["count"] >= minimum
            dimensions.setdefault(row["response__instrument_id"], []).append(
                DimensionSummary(
                    name=row["name"],
                    responses=row["count"],
                    mean=float(Decimal(row["total"]) / row["count"]) if enough else None,
                    spread=(
                        _sample_spread(row["total"], row["squares"], row["count"])
                        if enough
                        else None
                    ),
                    minimum=row["lowest"],
                    maximum=row["highest"],
                )
            )
    return tuple(
        InstrumentSummary(
            title=row["instrument__title"],
            responses=row["responses"],
            dimensions=tuple(dimensions.get(row["instrument_id"], ())),
        )
        for row in counts
    )


def shared_with_leads(memberships: QuerySet[Membership]) -> tuple[SharedResult, ...]:
    """Members' latest shared result per instrument, scores and bands only (two queries)."""
    results = []
    seen: set[tuple[int, int]] = set()
    for response in shared_results(memberships.values("learner_id")):
        learner, submitted_at = response.learner, response.submitted_at
        if learner is None or submitted_at is None:
            continue  # never: these are members' submitted responses
        key = (learner.pk, response.instrument_id)
        if key in seen:
            continue
        seen.add(key)
        results.append(
            SharedResult(
                learner_name=learner.get_full_name() or learner.email,
                instrument_title=response.instrument.title,
                submitted_at=submitted_at,
                scores=tuple(response.scores.all()),
            )
        )
    results.sort(key=lambda result: (result.learner_name.lower(), result.instrument_title))
    return tuple(results)


# The page --------------------------------------------------------------------------------


def cohort_dashboard(*, user, cohort: Cohort, now: datetime.datetime | None = None) -> Dashboard:
    """Everything the dashboard shows about `cohort`, which `user` may already see
    (`permissions.cohort_for`)."""
    now = now or timezone.now()
    memberships = permissions.visible_memberships(user, cohort)
    modules = tuple(selectors.cohort_modules(cohort))
    module_ids = [module.pk for module in modules]
    figures, organisations = progress_figures(memberships, module_ids, now=now)
    module_rows, weeks = by_module_and_week(
        memberships, modules, figures.members, weeks_shown(cohort, now=now)
    )
    return Dashboard(
        cohort=cohort,
        modules=modules,
        headline=figures,
        organisations=organisations,
        module_rows=module_rows,
        weeks=weeks,
        instruments=assessment_summaries(memberships, cohort=cohort),
        shared=shared_with_leads(memberships),
    )
