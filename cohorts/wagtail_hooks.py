"""The lead's corner of the Wagtail admin: the Cohorts menu and each cohort's pages."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_urls
from .services import EXPORT_ACTION, VIEW_ACTION


@hooks.register("register_admin_urls")
def register_cohort_pages():
    return [path("cohorts/", include(admin_urls, namespace="cohorts_admin"))]


@hooks.register("register_log_actions")
def register_cohort_access_actions(actions):
    actions.register_action(VIEW_ACTION, _("View cohort"), _("Viewed the cohort's learners"))
    actions.register_action(EXPORT_ACTION, _("Export cohort"), _("Exported the cohort's learners"))
