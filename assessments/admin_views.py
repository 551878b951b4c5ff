"""Views behind the self-assessment screens in the Wagtail admin.

The snippet viewset that wires these up lives in `wagtail_hooks.py`. Both views need
permission to change instruments (`assessments.change_instrument`); anyone else is refused
as in the rest of the admin.
"""

import itertools

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.models import Revision
from wagtail.snippets.views import snippets as snippet_views

from core.spreadsheets import csv_lines

from . import statistics
from .models import Instrument, Response


def user_can_see_statistics(user) -> bool:
    return user.is_authenticated and user.has_perm("assessments.change_instrument")


class StatisticsURLMixin:
    """URL names for the statistics and CSV views, passed in by the viewset."""

    statistics_url_name = None
    statistics_csv_url_name = None

    def get_statistics_url(self, instance):
        if self.statistics_url_name and user_can_see_statistics(self.request.user):
            return reverse(self.statistics_url_name, args=(quote(instance.pk),))
        return None


class InstrumentIndexView(StatisticsURLMixin, snippet_views.IndexView):
    """Instruments with their number of submitted responses, counted in the same query."""

    @cached_property
    def list_display(self):
        return [
            "title",
            Column("kind", label=gettext_lazy("Kind"), accessor=self.kind_label, sort_key="kind"),
            Column(
                "response_count",
                label=gettext_lazy("Responses"),
                sort_key="response_count",
            ),
            StatusTagColumn(
                "status",
                label=gettext_lazy("Status"),
                accessor=self.status_label,
                sort_key="live",
                primary=lambda instrument: instrument.live,
            ),
            UpdatedAtColumn(),
        ]

    @staticmethod
    def kind_label(instrument) -> str:
        return _("Team") if instrument.is_team else _("Individual")

    @staticmethod
    def status_label(instrument) -> str:
        # Wagtail's `status_string`, from the annotation rather than a query per row.
        if not instrument.live:
            if instrument.expired:
                return _("expired")
            return _("scheduled") if instrument.is_scheduled else _("draft")
        if instrument.is_scheduled:
            return _("live + scheduled")
        return _("live + draft") if instrument.has_unpublished_changes else _("live")

    def get_base_queryset(self):
        scheduled = Revision.objects.filter(
            content_type=ContentType.objects.get_for_model(Instrument),
            object_id=Cast(OuterRef("pk"), CharField()),
            approved_go_live_at__isnull=False,
        )
        return (
            super()
            .get_base_queryset()
            .annotate(
                response_count=Count(
                    "responses", filter=Q(responses__status=Response.Status.SUBMITTED)
                ),
                is_scheduled=Exists(scheduled),
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if statistics_url := self.get_statistics_url(instance):
            buttons.append(
                MenuItem(_("Statistics"), url=statistics_url, icon_name="table", priority=15)
            )
        return buttons


class InstrumentEditView(StatisticsURLMixin, snippet_views.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if statistics_url := self.get_statistics_url(self.object):
            buttons.append(
                Button(_("Statistics"), url=statistics_url, icon_name="table", priority=5)
            )
        return buttons


class InstrumentObjectMixin(PermissionCheckedMixin):
    """Check permission first, then load the instrument (404 if there is none)."""

    model = Instrument
    permission_required = "change"
    index_url_name = None
    edit_url_name = None
    statistics_url_name = None
    statistics_csv_url_name = None

    # PermissionCheckedMixin.dispatch refuses before the instrument is looked up, so a
    # refused user cannot tell which ids exist.

    @cached_property
    def object(self) -> Instrument:
        return get_object_or_404(
            Instrument.objects.select_related("live_revision"), pk=self.kwargs.get("pk")
        )


class InstrumentStatisticsView(InstrumentObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "assessments/admin/statistics.html"
    page_title = gettext_lazy("Statistics")
    header_icon = "table"
    breadcrumbs_items = WagtailAdminTemplateMixin.breadcrumbs_items

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse(self.index_url_name),
                "label": capfirst(Instrument._meta.verbose_name_plural),
            },
            {
                "url": reverse(self.edit_url_name, args=(quote(self.object.pk),)),
                "label": str(self.object),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def csv_url(self) -> str:
        return reverse(self.statistics_csv_url_name, args=(quote(self.object.pk),))

    @cached_property
    def statistics(self):
        return statistics.instrument_statistics(self.object)

    @cached_property
    def header_buttons(self):
        if self.statistics.withheld or not self.statistics.response_count:
            return []
        return [
            HeaderButton(
                _("Download anonymous answers (CSV)"),
                url=self.csv_url,
                icon_name="download",
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["statistics"] = self.statistics
        context["csv_url"] = self.csv_url
        context["edit_url"] = reverse(self.edit_url_name, args=(quote(self.object.pk),))
        return context


class InstrumentStatisticsCSVView(InstrumentObjectMixin, View):
    """Every answer of every submitted response, without anything that says whose it is."""

    def get(self, request, *args, **kwargs):
        instrument = self.object
        submitted = Response.objects.submitted().filter(instrument=instrument).count()
        if statistics.figures_withheld(submitted):
            messages.warning(
                request,
                _("The answers can be downloaded once at least %(size)s people have answered.")
                % {"size": settings.MIN_GROUP_SIZE},
            )
            return redirect(self.statistics_url_name, quote(instrument.pk))
        rows = itertools.chain([statistics.EXPORT_HEADINGS], statistics.export_rows(instrument))
        filename = f"{slugify(instrument.slug) or 'self-assessment'}-anonymous-answers.csv"
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
