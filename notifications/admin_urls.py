"""Leads' notification pages in the Wagtail admin, beside the cohort's own pages under
/admin/cohorts/<id>/ (registered in wagtail_hooks.py)."""

from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import admin_views

app_name = "notifications_admin"

urlpatterns = [
    path("<id:pk>/nudge/", admin_views.NudgeView.as_view(), name="nudge"),
]
