"""Reports › Failed tasks: background tasks that failed for good, for site admins.

A Wagtail report over django-tasks-db's results (`DBTaskResult`). It shows which task
failed, when, after how many attempts, and the exception's class, and never the task's
arguments, return value or traceback: an email task's arguments are a whole message, with
its recipient. Emails are tried again with backoff before they fail (`core.mail`), so a row
here is a failure that needs a person. Who may read it is the model's own "view"
permission, which a migration in `accounts` grants to the Site admin role (superusers have
it anyway).

It needs no model of its own, so it lives in `core`, which knows no domain.
"""

import django_filters
from django.db.models import IntegerField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

failed_tasks_permission_policy = ModelPermissionPolicy(DBTaskResult)


def failed_tasks():
    """Failed task results, newest first, with `attempts` (from the `attempt` argument
    that `core.mail.retry_later` passes; 1 for a task that is never retried). Arguments,
    return values and tracebacks are not even loaded."""
    return (
        DBTaskResult.objects.failed()
        .annotate(attempts=Coalesce(Cast(KT("args_kwargs__kwargs__attempt"), IntegerField()), 1))
        .defer("args_kwargs", "return_value", "traceback")
        .order_by("-finished_at")
    )


class FailedTaskFilterSet(WagtailFilterSet):
    finished_at = django_filters.DateFromToRangeFilter(
        label=_("Failed between"), widget=DateRangePickerWidget
    )
    task_path = django_filters.CharFilter(label=_("Task"), lookup_expr="icontains")

    class Meta:
        model = DBTaskResult
        fields = ["task_path", "finished_at"]


class FailedTasksView(ReportView):
    page_title = _("Failed tasks")
    header_icon = "warning"
    index_url_name = "core_failed_tasks"
    index_results_url_name = "core_failed_tasks_results"
    model = DBTaskResult
    permission_policy = failed_tasks_permission_policy
    permission_required = "view"
    filterset_class = FailedTaskFilterSet
    verbose_name_plural = _("failed tasks")
    columns = [
        Column("task_path", label=_("Task")),
        DateColumn("finished_at", label=_("Failed at")),
        Column("attempts", label=_("Attempts")),
        Column("exception_class_path", label=_("Error")),
    ]
    list_export = ["task_path", "finished_at", "attempts", "exception_class_path"]
    export_headings = {
        "task_path": _("Task"),
        "finished_at": _("Failed at"),
        "attempts": _("Attempts"),
        "exception_class_path": _("Error"),
    }

    def get_queryset(self):
        return failed_tasks()

    def get_filename(self):
        return f"failed-tasks-{timezone.localdate():%Y-%m-%d}"


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return failed_tasks_permission_policy.user_has_permission(request.user, "view")


def failed_tasks_menu_item():
    return FailedTasksMenuItem(
        _("Failed tasks"),
        reverse("core_failed_tasks"),
        name="failed-tasks",
        icon_name="warning",
        order=1100,
    )
