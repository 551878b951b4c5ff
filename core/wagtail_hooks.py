"""core's screens in the Wagtail admin: the failed background tasks report."""

from django.urls import path
from wagtail import hooks

from .task_reports import FailedTasksView, failed_tasks_menu_item


@hooks.register("register_admin_urls")
def register_failed_tasks_report():
    return [
        path("reports/failed-tasks/", FailedTasksView.as_view(), name="core_failed_tasks"),
        path(
            "reports/failed-tasks/results/",
            FailedTasksView.as_view(results_only=True),
            name="core_failed_tasks_results",
        ),
    ]


hooks.register("register_reports_menu_item", failed_tasks_menu_item)
