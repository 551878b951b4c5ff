"""The lead's corner of the Wagtail admin: the Cohorts menu and each cohort's pages."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from accounts.roles import PROGRAMME_LEAD, STAFF_ROLES

from . import admin_urls
from .models import Cohort
from .services import EXPORT_ACTION, VIEW_ACTION
from .viewsets import CohortPermissionPolicy, CohortViewSet

# Registered before anything asks for Cohort's policy (Wagtail would otherwise make a
# plain model-permission one).
register_permission_policy(Cohort, CohortPermissionPolicy(Cohort))

cohort_viewset = CohortViewSet("cohort")


@hooks.register("register_admin_urls")
def register_cohort_pages():
    return [path("cohorts/", include(admin_urls, namespace="cohorts_admin"))]


@hooks.register("register_admin_viewset")
def register_cohort_viewset():
    return cohort_viewset


@hooks.register("register_log_actions")
def register_cohort_access_actions(actions):
    actions.register_action(VIEW_ACTION, _("View cohort"), _("Viewed the cohort's learners"))
    actions.register_action(EXPORT_ACTION, _("Export cohort"), _("Exported the cohort's learners"))


# Wagtail's own menus, none of which a programme lead needs. Most hide themselves without
# permissions; Help does not.
HIDDEN_FROM_LEADS = {
    "explorer",
    "images",
    "documents",
    "snippets",
    "forms",
    "reports",
    "settings",
    "help",
}


def is_only_a_programme_lead(user) -> bool:
    """Programme lead is this person's only staff role (and they are not a superuser)."""
    if user.is_superuser:
        return False
    staff_roles = set(user.groups.filter(name__in=STAFF_ROLES).values_list("name", flat=True))
    return staff_roles == {PROGRAMME_LEAD}


@hooks.register("construct_main_menu")
def show_leads_only_their_cohorts(request, menu_items):
    """A programme lead and nothing more sees their own menu, not the rest of the admin."""
    if is_only_a_programme_lead(request.user):
        menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_FROM_LEADS]
