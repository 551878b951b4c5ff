"""Self-assessments in the Wagtail admin: the instrument snippet, with its statistics."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
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
