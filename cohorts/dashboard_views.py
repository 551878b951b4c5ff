"""A cohort's dashboard in the Wagtail admin: how its members are getting on, at a glance.

The cohort comes from `permissions.cohort_for`, so any cohort the user may not see (another
lead's, or an id that does not exist) is a 404. Every view is recorded in the audit log.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import dashboard, permissions, services
from .models import Cohort


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool = False


def _reverse_or_none(name: str, *args) -> str | None:
    """The URL, or None while the screen it names is not installed."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def cohort_nav(cohort: Cohort, request) -> list[NavLink]:
    """The links between a cohort's pages, marking the one being shown."""
    links = [
        (_("Dashboard"), reverse("cohorts_admin:dashboard", args=[cohort.pk])),
        (_("Learners"), reverse("cohorts_admin:grid", args=[cohort.pk])),
        (_("Exports"), reverse("cohorts_admin:exports", args=[cohort.pk])),
        (_("Invite learners"), reverse("cohorts_admin:invite", args=[cohort.pk])),
        (_("Sets"), _reverse_or_none("learning_sets_admin:overview", cohort.pk)),
        (_("Edit cohort"), _reverse_or_none("cohort:edit", cohort.pk)),
    ]
    return [
        NavLink(label=label, url=url, current=url == request.path)
        for label, url in links
        if url is not None
    ]


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "cohorts/admin/dashboard.html"
    page_subtitle = gettext_lazy("Dashboard")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.cohort = permissions.cohort_for(request.user, kwargs["pk"])
        if self.cohort is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        services.cohort_access_record(
            user=request.user,
            cohort=self.cohort,
            action=services.VIEW_ACTION,
            detail="dashboard",
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if cohorts_url := _reverse_or_none("cohort:index"):
            items.append({"url": cohorts_url, "label": _("Cohorts")})
        items.append({"url": "", "label": self.cohort.name})
        return items

    @cached_property
    def dashboard(self) -> dashboard.Dashboard:
        return dashboard.cohort_dashboard(user=self.request.user, cohort=self.cohort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cohort"] = self.cohort
        context["dashboard"] = self.dashboard
        context["cohort_nav"] = cohort_nav(self.cohort, self.request)
        context["not_started_days"] = dashboard.NOT_STARTED_AFTER_DAYS
        return context
