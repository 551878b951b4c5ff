"""Reads behind the learner-by-module grid and its exports.

Every row starts from `permissions.visible_memberships(user, cohort)`, which callers pass
in. Figures per learner (last activity, modules started and completed, learning time) come
from `Membership.objects.with_progress`, aggregated in the database, so the grid filters,
sorts and paginates there; the page's cells then come from one query for its 50 learners'
enrolments. Exports read every member's cells in the same grouped query
(`with_module_cells`), so they cost the same queries for any cohort.
"""

import datetime
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import IO, Any

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core.spreadsheets import csv_lines, safe_cell
from modules.models import Enrolment

from .models import Cohort, Membership, MembershipQuerySet
from .selectors import cohort_modules

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"

ORDERINGS = ("name", "organisation", "last_activity", "completed")
DEFAULT_ORDERING = "name"
EXPORT_CHUNK_SIZE = 2000


def status_label(status: str) -> str:
    return {
        COMPLETED: _("Completed"),
        IN_PROGRESS: _("In progress"),
        NOT_STARTED: _("Not started"),
    }[status]


@dataclass(frozen=True)
class ModuleColumn:
    id: int
    title: str


@dataclass(frozen=True)
class ModuleCell:
    """One learner's place in one module."""

    status: str
    completed_on: datetime.date | None = None

    @property
    def label(self) -> str:
        return status_label(self.status)


NOT_STARTED_CELL = ModuleCell(NOT_STARTED)


def grid_modules(cohort: Cohort) -> list[ModuleColumn]:
    """The cohort's modules as grid columns, in site order."""
    return [
        ModuleColumn(pk, title) for pk, title in cohort_modules(cohort).values_list("pk", "title")
    ]


def learner_rows(memberships: MembershipQuerySet, module_ids: Sequence[int]) -> MembershipQuerySet:
    """`memberships` (from `permissions.visible_memberships`), with each learner's figures
    over the cohort's modules (`Membership.objects.with_progress`: `last_activity`,
    `started_count`, `completed_count`, `seconds_total`, `has_started`, `has_completed`)
    and `learner_name`, for searching. Aggregated in one query."""
    return (
        memberships.select_related("learner", "learner__organisation")
        .with_progress(module_ids)
        .annotate(learner_name=Concat("learner__first_name", Value(" "), "learner__last_name"))
    )


def filter_by_status(rows: MembershipQuerySet, status: str):
    """Not started anything, in progress (started, not finished everything), or
    completed every module (`with_progress`'s `has_started` and `has_completed`)."""
    if status == NOT_STARTED:
        return rows.filter(has_started=False)
    if status == IN_PROGRESS:
        return rows.filter(has_started=True, has_completed=False)
    if status == COMPLETED:
        return rows.filter(has_completed=True)
    return rows


def filter_by_activity(rows: MembershipQuerySet, days: int, *, active: bool):
    """Active in the last `days` days, or not (never active counts as not)."""
    since = timezone.now() - datetime.timedelta(days=days)
    if active:
        return rows.filter(last_activity__gte=since)
    return rows.filter(Q(last_activity__isnull=True) | Q(last_activity__lt=since))


def order_rows(rows: QuerySet[Membership], ordering: str | None) -> QuerySet[Membership]:
    """Sort by one of ORDERINGS (with a leading "-" for descending), then by name and id so
    that pages are stable. Anything else sorts by name."""
    ordering = ordering or DEFAULT_ORDERING
    key = ordering.removeprefix("-")
    descending = ordering.startswith("-") and key in ORDERINGS
    if key not in ORDERINGS:
        key = DEFAULT_ORDERING
    by_name: list[Any] = [Lower("learner__last_name"), Lower("learner__first_name")]
    sorts: dict[str, list[Any]] = {
        "name": by_name,
        "organisation": [Lower("learner__organisation__name")],
        "last_activity": [F("last_activity")],
        "completed": [F("completed_count")],
    }
    first = sorts[key]
    if descending:
        first = [expression.desc(nulls_last=True) for expression in first]
    else:
        first = [expression.asc(nulls_first=True) for expression in first]
    return rows.order_by(*first, *by_name, "pk")


def cohort_organisations(memberships: QuerySet[Membership]) -> QuerySet[Organisation]:
    """The organisations of these members (from `permissions.visible_memberships`), by
    name."""
    return Organisation.objects.filter(pk__in=memberships.values("learner__organisation")).order_by(
        Lower("name")
    )


def _cell(enrolled: int, completed_at: datetime.datetime | None) -> ModuleCell:
    if completed_at is not None:
        return ModuleCell(COMPLETED, timezone.localtime(completed_at).date())
    return ModuleCell(IN_PROGRESS) if enrolled else NOT_STARTED_CELL


def module_cells(learner_ids: Iterable[int], module_ids: Sequence[int]) -> dict:
    """{(learner id, module id): ModuleCell} for these learners' enrolments in these
    modules, in one query. A pair that is missing has not started."""
    learner_ids = list(learner_ids)
    if not learner_ids or not module_ids:
        return {}
    enrolments = Enrolment.objects.filter(
        learner_id__in=learner_ids, module_id__in=list(module_ids)
    ).values_list("learner_id", "module_id", "completed_at")
    return {
        (learner_id, module_id): _cell(1, completed_at)
        for learner_id, module_id, completed_at in enrolments
    }


def attach_cells(rows: Sequence[Any], modules: Sequence[ModuleColumn]) -> Sequence[Any]:
    """Give each row `cells`: its ModuleCell per module, in column order (one query)."""
    cells = module_cells((row.learner_id for row in rows), [module.id for module in modules])
    for row in rows:
        row.cells = [cells.get((row.learner_id, module.id), NOT_STARTED_CELL) for module in modules]
    return rows


def minutes(seconds: int | None) -> int:
    return round((seconds or 0) / 60)


# Exports -----------------------------------------------------------------------------


def export_headings(modules: Sequence[ModuleColumn]) -> list[str]:
    headings = [
        _("Learner"),
        _("Email"),
        _("Organisation"),
        _("Organisation type"),
        _("Job role"),
        _("Cohort"),
    ]
    for module in modules:
        headings.append(_("%(module)s status") % {"module": module.title})
        headings.append(_("%(module)s completed on") % {"module": module.title})
    headings.extend(
        [
            _("Modules completed"),
            _("Joined the cohort on"),
            _("Last activity on"),
            _("Total learning time (minutes)"),
        ]
    )
    return headings


def _local_date(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value is not None else None


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def export_rows(
    memberships: MembershipQuerySet, cohort: Cohort, *, chunk_size: int = EXPORT_CHUNK_SIZE
) -> Iterator[list]:
    """The headings, then one row per member in `memberships` (from
    `permissions.visible_memberships`), sorted by name.

    One query reads every member with their figures and their cell in each module
    (`with_progress` and `with_module_cells`), through a database iterator that fetches
    `chunk_size` rows at a time (a server-side cursor on PostgreSQL), so that the queries
    are the same and memory stays flat however large the cohort."""
    modules = grid_modules(cohort)
    module_ids = [module.id for module in modules]
    yield export_headings(modules)
    rows = order_rows(
        learner_rows(memberships, module_ids).with_module_cells(module_ids), DEFAULT_ORDERING
    )
    cohort_name = cohort.name
    row: Any  # a Membership with the annotations above
    for row in rows.iterator(chunk_size=chunk_size):
        learner = row.learner
        organisation = learner.organisation
        values: list[Any] = [
            learner.get_full_name() or learner.email,
            learner.email,
            organisation.name if organisation else "",
            organisation.get_type_display() if organisation else "",
            learner.job_role,
            cohort_name,
        ]
        for module_id in module_ids:
            cell = _cell(
                getattr(row, f"enrolled_{module_id}"), getattr(row, f"completed_{module_id}")
            )
            values.extend([cell.label, cell.completed_on])
        values.extend(
            [
                row.completed_count,
                _local_date(row.joined_at),
                _local_date(row.last_activity),
                minutes(row.seconds_total),
            ]
        )
        yield values


def write_csv(rows: Iterable[list], output: IO[str]) -> int:
    """Write the rows to a text file; return the number of rows after the headings."""
    count = -1
    for line in csv_lines(rows):
        output.write(line)
        count += 1
    return max(count, 0)


def write_xlsx(rows: Iterable[list], output: IO[bytes]) -> int:
    """Write the rows to a workbook in openpyxl's write-only mode (rows are not kept in
    memory); return the number of rows after the headings."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Learners"))
    count = -1
    for row in rows:
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif cell.data_type == "f":
                # Never a formula: text that openpyxl would take for one stays text.
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(output)
    return max(count, 0)
