"""The lead's corner of the Wagtail admin: the Cohorts menu and each cohort's pages."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy

from accounts.models import User
from accounts.roles import PROGRAMME_LEAD, STAFF_ROLES, is_site_admin

from . import admin_urls, permissions
from .models import Cohort
from .selectors import cohorts_left_without_a_lead, cohorts_without_a_lead
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


class CohortsPanel(Component):
    """The admin home's list of the cohorts the user may see, with their dashboards."""

    name = "cohorts"
    template_name = "cohorts/admin/home_panel.html"
    order = 50  # above Wagtail's own panels: for a lead, this is what the admin is for
    shown = 10

    def __init__(self, cohorts):
        self.cohorts = cohorts

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        cohorts = list(self.cohorts[: self.shown + 1])
        context["cohorts"] = cohorts[: self.shown]
        context["more"] = len(cohorts) > self.shown
        return context


class CohortsWithoutALeadPanel(Component):
    """For site admins: cohorts whose last lead erased their account, to give a lead."""

    name = "cohorts_without_a_lead"
    template_name = "cohorts/admin/without_a_lead_panel.html"
    order = 40  # above the cohorts panel: it asks for something to be done

    def __init__(self, cohorts):
        self.cohorts = cohorts

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["cohorts"] = self.cohorts
        return context


@hooks.register("construct_homepage_panels")
def add_cohorts_without_a_lead_panel(request, panels):
    if not is_site_admin(request.user):
        return
    cohorts = list(cohorts_without_a_lead()[:50])
    if cohorts:
        panels.append(CohortsWithoutALeadPanel(cohorts))


@hooks.register("construct_homepage_panels")
def add_cohorts_panel(request, panels):
    if not (permissions.is_programme_lead(request.user) or is_site_admin(request.user)):
        return
    cohorts = (
        permissions.visible_cohorts(request.user)
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__learner__exclude_from_reports=False),
            )
        )
        .order_by("-created_at")
    )
    panels.append(CohortsPanel(cohorts))


# A cohort always has a lead ------------------------------------------------------------


def refuse_to_leave_cohorts_without_a_lead(request, users, back_url: str):
    """A redirect with a message naming the cohorts if deleting `users` would leave any
    cohort with no lead; None if every cohort keeps one."""
    orphaned = list(cohorts_left_without_a_lead(users).values_list("name", flat=True))
    if not orphaned:
        return None
    messages.error(
        request,
        ngettext(
            "Not deleted: this would leave the cohort %(cohorts)s with no lead. Give it "
            "another lead first.",
            "Not deleted: this would leave the cohorts %(cohorts)s with no lead. Give each "
            "of them another lead first.",
            len(orphaned),
        )
        % {"cohorts": ", ".join(f"'{name}'" for name in orphaned)},
    )
    return redirect(back_url)


@hooks.register("before_delete_user")
def keep_a_lead_when_deleting_a_user(request, user):
    return refuse_to_leave_cohorts_without_a_lead(
        request, [user], reverse("wagtailusers_users:edit", args=[user.pk])
    )


@hooks.register("before_bulk_action")
def keep_a_lead_when_deleting_users_in_bulk(request, action_type, objects, action_class):
    if action_type != "delete" or action_class.model is not User:
        return None
    return refuse_to_leave_cohorts_without_a_lead(
        request, objects, reverse("wagtailusers_users:index")
    )
