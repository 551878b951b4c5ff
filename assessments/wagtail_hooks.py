"""Self-assessments in the Wagtail admin: the instrument snippet, with its statistics."""

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Instrument


class InstrumentViewSet(SnippetViewSet):
    model = Instrument
    icon = "clipboard-list"
    menu_label = _("Self-assessments")
    menu_name = "self-assessments"
    menu_order = 240
    add_to_admin_menu = True
    copy_view_enabled = False

    index_view_class = admin_views.InstrumentIndexView
    edit_view_class = admin_views.InstrumentEditView
    statistics_view_class = admin_views.InstrumentStatisticsView
    statistics_csv_view_class = admin_views.InstrumentStatisticsCSVView

    list_filter = ["kind", "live"]
    ordering = ["title"]
    list_per_page = 50

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            statistics_url_name=self.get_url_name("statistics"),
            statistics_csv_url_name=self.get_url_name("statistics_csv"),
            **kwargs,
        )

    @cached_property
    def statistics_view(self):
        return self.construct_view(self.statistics_view_class)

    @cached_property
    def statistics_csv_view(self):
        return self.construct_view(self.statistics_csv_view_class)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("statistics/<int:pk>/", self.statistics_view, name="statistics"),
            path("statistics/<int:pk>/csv/", self.statistics_csv_view, name="statistics_csv"),
        ]


register_snippet(InstrumentViewSet)


@hooks.register("before_delete_snippet")
def keep_instruments_that_people_answered(request, instances):
    """Refuse to delete an instrument that has responses or teams, one at a time or in bulk.

    Learners' results point at it (and must outlive any edit), so the database would
    refuse too; this says why, and what to do instead, rather than failing.
    """
    ids = [instance.pk for instance in instances if isinstance(instance, Instrument)]
    if not ids:
        return None
    answered = list(
        Instrument.objects.filter(pk__in=ids)
        .filter(Q(responses__isnull=False) | Q(teams__isnull=False))
        .distinct()
        .values_list("title", flat=True)
    )
    if not answered:
        return None
    messages.error(
        request,
        ngettext(
            "%(titles)s has responses or teams, so it cannot be deleted: learners' results "
            "depend on it. Unpublish it instead to stop new answers.",
            "%(titles)s have responses or teams, so they cannot be deleted: learners' "
            "results depend on them. Unpublish them instead to stop new answers.",
            len(answered),
        )
        % {"titles": ", ".join(f"“{title}”" for title in answered)},
    )
    return redirect(reverse("wagtailsnippets_assessments_instrument:list"))
