"""The leads' nudge page in the Wagtail admin, and its entry in the audit log."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import admin_urls
from .nudges import NUDGE_ACTION


@hooks.register("register_admin_urls")
def register_nudge_pages():
    return [path("cohorts/", include(admin_urls, namespace="notifications_admin"))]


@hooks.register("register_log_actions")
def register_nudge_action(actions):
    actions.register_action(NUDGE_ACTION, _("Nudge"), _("Sent a nudge to learners"))
