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
from django.db.models import (
    BooleanField,
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
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from assessments.models import DimensionScore, Response
from assessments.selectors import shared_results
from modules.models import Enrolment, ModulePage

from . import charts, permissions, selectors
from .models import Cohort, Membership, RetainedResponse

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


# Expressions over a member's enrolments ---------------------------------------------------


def _with_progress(memberships: QuerySet[Membership], module_ids: Sequence[int]):
    """Memberships with two aliases: `has_started` (an enrolment in any of the modules) and
    `completed_modules` (how many of them the learner has completed)."""
    if not module_ids:
        return memberships.alias(
            has_started=Value(False, output_field=BooleanField()), completed_modules=Value(0)
        )
    enrolments = Enrolment.objects.filter(learner=OuterRef("learner"), module_id__in=module_ids)
    completed = (
        enrolments.filter(completed_at__isnull=False)
        .order_by()
        .values("learner")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return memberships.alias(has_started=Exists(enrolments), completed_modules=Subquery(completed))


def _figures(module_ids: Sequence[int], joined_before: datetime.datetime) -> dict:
    """The counts every summary row has, as aggregates over `_with_progress` memberships."""
    completed_all = Q(completed_modules__gte=len(module_ids)) if module_ids else Q(has_started=True)
    return {
        "members": Count("pk"),
        "started": Count("pk", filter=Q(has_started=True)),
        "completed": Count("pk", filter=completed_all),
        "stalled": Count("pk", filter=Q(has_started=False, joined_at__lte=joined_before)),
    }


# Progress --------------------------------------------------------------------------------


def headline(
    memberships: QuerySet[Membership], module_ids: Sequence[int], *, now: datetime.datetime
) -> Headline:
    """Members, started, completed every module, not started 14 days after joining (one
    query)."""
    joined_before = now - datetime.timedelta(days=NOT_STARTED_AFTER_DAYS)
    figures = _with_progress(memberships, module_ids).aggregate(
        **_figures(module_ids, joined_before)
    )
    return Headline(
        members=figures["members"],
        started=figures["started"],
        completed=figures["completed"],
        not_started_after_14_days=figures["stalled"],
    )


def by_organisation(
    memberships: QuerySet[Membership], module_ids: Sequence[int], *, now: datetime.datetime
) -> tuple[OrganisationRow, ...]:
    """One row per organisation, most members first (one query)."""
    joined_before = now - datetime.timedelta(days=NOT_STARTED_AFTER_DAYS)
    rows = (
        _with_progress(memberships, module_ids)
        .values("learner__organisation_id", "learner__organisation__name")
        .annotate(type=Max("learner__organisation__type"), **_figures(module_ids, joined_before))
        .order_by(
            "-members",
            F("learner__organisation__name").asc(nulls_last=True),
            "learner__organisation_id",
        )
    )
    types = dict(Organisation.Type.choices)
    return tuple(
        OrganisationRow(
            name=row["learner__organisation__name"] or _("No organisation given"),
            type_label=str(types.get(row["type"], "")) if row["type"] else "",
            members=row["members"],
            started=row["started"],
            completed=row["completed"],
        )
        for row in rows
    )


def by_module(
    memberships: QuerySet[Membership], modules: Sequence[ModulePage], members: int
) -> tuple[ModuleRow, ...]:
    """Per module, in the cohort's order: members not started, in progress, completed (one
    query, none without modules)."""
    if not modules:
        return ()
    counts = {
        row["module_id"]: row
        for row in Enrolment.objects.filter(
            module_id__in=[module.pk for module in modules],
            learner_id__in=memberships.values("learner_id"),
        )
        .order_by()
        .values("module_id")
        .annotate(
            in_progress=Count("pk", filter=Q(completed_at__isnull=True)),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
    }
    rows = []
    for module in modules:
        row = counts.get(module.pk, {"in_progress": 0, "completed": 0})
        rows.append(
            ModuleRow(
                title=module.title,
                not_started=max(0, members - row["in_progress"] - row["completed"]),
                in_progress=row["in_progress"],
                completed=row["completed"],
            )
        )
    return tuple(rows)


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


def completions_per_week(
    memberships: QuerySet[Membership],
    module_ids: Sequence[int],
    weeks: Sequence[datetime.date],
) -> tuple[Week, ...]:
    """Completions of the cohort's modules by its members, per week from Monday (one query,
    none when there is nothing to count)."""
    if not weeks:
        return ()
    counts: dict[datetime.date, int] = {}
    if module_ids:
        london = ZoneInfo(settings.TIME_ZONE)
        since = datetime.datetime.combine(weeks[0], datetime.time.min, tzinfo=london)
        rows = (
            Enrolment.objects.filter(
                module_id__in=module_ids,
                learner_id__in=memberships.values("learner_id"),
                completed_at__gte=since,
            )
            .annotate(week=TruncWeek("completed_at", tzinfo=london))
            .order_by()
            .values("week")
            .annotate(completions=Count("pk"))
        )
        for row in rows:
            week = row["week"]
            if isinstance(week, datetime.datetime):
                week = (
                    timezone.localtime(week, london).date()
                    if timezone.is_aware(week)
                    else (week.date())
                )
            counts[week] = counts.get(week, 0) + row["completions"]
    return tuple(Week(starts=week, completions=counts.get(week, 0)) for week in weeks)


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
        key = (response.learner_id, response.instrument_id)
        if key in seen:
            continue
        seen.add(key)
        results.append(
            SharedResult(
                learner_name=response.learner.get_full_name() or response.learner.email,
                instrument_title=response.instrument.title,
                submitted_at=response.submitted_at,
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
    figures = headline(memberships, module_ids, now=now)
    return Dashboard(
        cohort=cohort,
        modules=modules,
        headline=figures,
        organisations=by_organisation(memberships, module_ids, now=now),
        module_rows=by_module(memberships, modules, figures.members),
        weeks=completions_per_week(memberships, module_ids, weeks_shown(cohort, now=now)),
        instruments=assessment_summaries(memberships, cohort=cohort),
        shared=shared_with_leads(memberships),
    )
