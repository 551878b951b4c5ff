"""The learner-by-module grid of a cohort, its downloads and the exports page.

Each view finds the cohort through `permissions.cohort_for`, so any cohort the user may
not see (or that does not exist) is a 404, and reads rows only through `reports`, which
start from `permissions.visible_memberships`.
"""

import copy
from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from core.downloads import mark_private, private_file_response
from core.spreadsheets import csv_lines

from . import permissions, reports, services, tasks
from .models import CohortExport
from .report_filters import LearnerGridFilterSet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    CohortExport.Format.CSV: "text/csv; charset=utf-8",
    CohortExport.Format.XLSX: XLSX_CONTENT_TYPE,
}

TAG_CLASSES = {
    reports.COMPLETED: "w-status w-status--label",
    reports.IN_PROGRESS: "w-status w-status--primary",
    reports.NOT_STARTED: "w-status",
}


def background_threshold() -> int:
    """Cohorts with more members than this are exported in the background."""
    return getattr(settings, "COHORT_EXPORT_BACKGROUND_THRESHOLD", 500)


class CohortMixin:
    """Load the cohort through the visibility rule: any other id is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.cohort = permissions.cohort_for(request.user, kwargs["pk"])
        if self.cohort is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def cohort_breadcrumbs(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("cohorts_admin:dashboard", args=[self.cohort.pk]),
                "label": self.cohort.name,
            },
            {"url": "", "label": self.get_page_title()},
        ]


def module_cell_html(cell: reports.ModuleCell):
    if cell.completed_on:
        return format_html(
            '<span class="{}">{}</span> {}',
            TAG_CLASSES[cell.status],
            cell.label,
            date_format(cell.completed_on, "j M Y"),
        )
    return format_html('<span class="{}">{}</span>', TAG_CLASSES[cell.status], cell.label)


def choose_html(row):
    """A checkbox to choose this learner for a nudge; it belongs to the form above the
    table (`grid_results.html`), whose buttons send the chosen ids."""
    learner = row.learner
    return format_html(
        '<input type="checkbox" name="learner" value="{}" form="nudge-form" '
        'class="w-m-0" data-choose-learner aria-label="{}">',
        learner.pk,
        _("Choose %(name)s") % {"name": learner.get_full_name() or learner.email},
    )


def learner_html(row):
    learner = row.learner
    return format_html(
        "<strong>{}</strong><br>{}", learner.get_full_name() or learner.email, learner.email
    )


class LearnerGridView(CohortMixin, ReportView):
    """Every visible member of the cohort with their status in each module: filtered,
    searched, sorted and paginated (50 a page) in the database."""

    template_name = "cohorts/admin/grid.html"
    results_template_name = "cohorts/admin/grid_results.html"
    page_title = gettext_lazy("Learners")
    header_icon = "group"
    index_url_name = "cohorts_admin:grid"
    index_results_url_name = "cohorts_admin:grid_results"
    paginate_by = 50
    is_searchable = True
    search_backend_name = None
    search_fields = ["learner_name", "learner__email"]
    filterset_class = LearnerGridFilterSet
    default_ordering = reports.DEFAULT_ORDERING
    verbose_name_plural = gettext_lazy("learners")
    list_export = ["export"]  # the downloads are built by `reports.export_rows`
    show_export_buttons = False  # shown on the page itself, not in the header menu

    @cached_property
    def memberships(self):
        """The members this user may see: every query on the page starts here."""
        return permissions.visible_memberships(self.request.user, self.cohort)

    @cached_property
    def modules(self):
        return reports.grid_modules(self.cohort)

    @cached_property
    def module_ids(self):
        return [module.id for module in self.modules]

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return self.cohort_breadcrumbs()

    def get_index_url(self):
        return reverse(self.index_url_name, args=[self.cohort.pk])

    def get_index_results_url(self):
        return reverse(self.index_results_url_name, args=[self.cohort.pk])

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # Downloads are asked for with a POST (`post`): a GET only ever shows the grid,
        # whatever its query string says.
        self.is_export = False

    @cached_property
    def columns(self):
        return [
            Column("choose", label=_("Choose"), accessor=choose_html),
            Column("learner", label=_("Learner"), accessor=learner_html, sort_key="name"),
            Column(
                "organisation",
                label=_("Organisation"),
                accessor="learner.organisation.name",
                sort_key="organisation",
            ),
            Column("job_role", label=_("Job role"), accessor="learner.job_role"),
            *[
                Column(
                    f"module_{module.id}",
                    label=module.title,
                    accessor=lambda row, index=index: module_cell_html(row.cells[index]),
                )
                for index, module in enumerate(self.modules)
            ],
            Column(
                "completed",
                label=_("Modules completed"),
                accessor=lambda row: (
                    _("%(done)s of %(total)s")
                    % {"done": row.completed_count, "total": len(self.modules)}
                ),
                sort_key="completed",
            ),
            Column(
                "last_activity",
                label=_("Last activity"),
                accessor=lambda row: (
                    date_format(row.last_activity, "j M Y") if row.last_activity else _("None")
                ),
                sort_key="last_activity",
            ),
            Column(
                "learning_time",
                label=_("Learning time"),
                accessor=lambda row: (
                    _("%(minutes)s min") % {"minutes": reports.minutes(row.seconds_total)}
                ),
            ),
        ]

    def get_valid_orderings(self):
        return [*reports.ORDERINGS, *(f"-{key}" for key in reports.ORDERINGS)]

    def get_filterset_kwargs(self):
        return {
            **super().get_filterset_kwargs(),
            "organisations": reports.cohort_organisations(self.memberships),
        }

    def get_base_queryset(self):
        return reports.learner_rows(self.memberships, self.module_ids)

    def order_queryset(self, queryset):
        return reports.order_rows(queryset, self.ordering)

    def decorate_paginated_queryset(self, object_list):
        return reports.attach_cells(list(object_list), self.modules)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["modules"] = self.modules
        context["export_url"] = self.get_index_url()
        context["export_formats"] = CohortExport.Format.choices
        context["exports_url"] = reverse("cohorts_admin:exports", args=[self.cohort.pk])
        context["background_threshold"] = background_threshold()
        # Choosing learners for a nudge (notifications): this page's checkboxes, or every
        # learner matching the current filters and search.
        context["nudge_url"] = reverse("notifications_admin:nudge", args=[self.cohort.pk])
        query = self.request.GET.copy()
        query.pop("p", None)
        context["grid_query"] = query.urlencode()
        paginator = context.get("paginator")
        context["matching_count"] = (
            paginator.count if paginator is not None else len(context["object_list"])
        )
        return context

    def get(self, request, *args, **kwargs):
        services.cohort_access_record(
            user=request.user, cohort=self.cohort, action=services.VIEW_ACTION, detail="learners"
        )
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        """A download, asked for with the grid's Download buttons (a form with the CSRF
        token): the file itself for a cohort up to the threshold, or the exports page once a
        larger one is queued. Anything but a known format changes nothing."""
        export_format = request.POST.get("export")
        if export_format not in CohortExport.Format.values:
            messages.error(request, _("Choose CSV or XLSX to download the learners."))
            return redirect(self.get_index_url())
        return self.export(export_format)

    def export(self, export_format: str):
        """Stream the file for a cohort up to the threshold; queue it for a larger one."""
        user = self.request.user
        services.cohort_access_record(
            user=user, cohort=self.cohort, action=services.EXPORT_ACTION, detail=export_format
        )
        if self.memberships.count() > background_threshold():
            export = services.cohort_export_request(
                cohort=self.cohort, user=user, export_format=export_format
            )
            exports_url = reverse("cohorts_admin:exports", args=[self.cohort.pk])
            return redirect(f"{exports_url}?requested={export.pk}")
        filename = tasks.export_filename(self.cohort, export_format)
        rows = reports.export_rows(self.memberships, self.cohort)
        if export_format == CohortExport.Format.XLSX:
            output = BytesIO()
            reports.write_xlsx(rows, output)
            output.seek(0)
            response = FileResponse(
                output, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
            )
        else:
            response = StreamingHttpResponse(
                csv_lines(rows), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return mark_private(response)


def grid_memberships(request, cohort, query: str):
    """Every membership the grid lists for the filters and search in `query` (the grid's
    query string), across all its pages: for "choose all N matching" (nudges). A query the
    filters do not accept lists every member, as the grid does."""
    grid_request = copy.copy(request)
    grid_request.GET = QueryDict(query[:4000])
    view = LearnerGridView()
    view.setup(grid_request, pk=cohort.pk)
    view.cohort = cohort
    return view.get_queryset()


class LearnerGridResultsView(LearnerGridView):
    """The grid's table alone, for Wagtail to swap in as filters and search change."""

    results_only = True
    http_method_names = ["get", "head", "options"]


class ExportListView(CohortMixin, WagtailAdminTemplateMixin, TemplateView):
    """The cohort's exports, newest first, with a link to each file that is ready."""

    template_name = "cohorts/admin/exports.html"
    page_title = gettext_lazy("Exports")
    header_icon = "download"
    shown = 50

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return self.cohort_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["exports"] = list(
            CohortExport.objects.filter(cohort=self.cohort)
            .select_related("requested_by")
            .order_by("-created_at", "-pk")[: self.shown]
        )
        requested = self.request.GET.get("requested", "")
        context["requested"] = next(
            (export for export in context["exports"] if str(export.pk) == requested), None
        )
        context["grid_url"] = reverse("cohorts_admin:grid", args=[self.cohort.pk])
        context["ready"] = CohortExport.Status.READY
        context["failed"] = CohortExport.Status.FAILED
        context["retention_days"] = settings.COHORT_EXPORT_RETENTION_DAYS
        context["now"] = timezone.now()
        return context


class ExportDownloadView(CohortMixin, View):
    """A ready export of this cohort, as an attachment; anything else is a 404.

    The only door to the files of `cohort_export_build`: they live in the private storage,
    which no web server publishes."""

    def get(self, request, *args, **kwargs):
        export = (
            CohortExport.objects.filter(cohort=self.cohort, pk=kwargs["export_id"])
            .downloadable(now=timezone.now())
            .first()
        )
        if export is None or not export.file:
            raise Http404
        day = timezone.localdate(export.finished_at or export.created_at)
        response = private_file_response(
            storage=export.file.storage,
            name=export.file.name,
            filename=tasks.export_filename(self.cohort, export.format, day=day),
            content_type=CONTENT_TYPES[export.format],
        )
        services.cohort_access_record(
            user=request.user,
            cohort=self.cohort,
            action=services.EXPORT_ACTION,
            detail=export.format,
        )
        return response
