"""Lead pages in the Wagtail admin, under /admin/cohorts/<id>/ (see wagtail_hooks.py)."""

from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import dashboard_views, invitation_views, report_views

app_name = "cohorts_admin"

urlpatterns = [
    path("<id:pk>/", dashboard_views.DashboardView.as_view(), name="dashboard"),
    path("<id:pk>/learners/", report_views.LearnerGridView.as_view(), name="grid"),
    path(
        "<id:pk>/learners/results/",
        report_views.LearnerGridResultsView.as_view(),
        name="grid_results",
    ),
    path("<id:pk>/exports/", report_views.ExportListView.as_view(), name="exports"),
    path(
        "<id:pk>/exports/<id:export_id>/download/",
        report_views.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("<id:pk>/invite/", invitation_views.InviteView.as_view(), name="invite"),
]
