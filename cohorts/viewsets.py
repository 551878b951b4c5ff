"""The Cohorts screens in the Wagtail admin: the lead's listing, and the create, edit and
delete views, registered in `wagtail_hooks.py`.

Every view starts from `permissions.visible_cohorts`, so another lead's cohort is a 404;
the form saves through the services.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from accounts.models import User
from core import converters  # noqa: F401 - registers <id:...>

from .admin_forms import CohortForm
from .models import Cohort
from .permissions import visible_cohorts, visible_memberships
from .services import CohortError


class CohortPermissionPolicy(ModelPermissionPolicy):
    """Model permissions say who may use the Cohorts screens at all (programme leads and
    site admins); `visible_cohorts` says which cohorts they may change or delete."""

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Cohort.objects.none()
        return visible_cohorts(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return (
            self.instances_user_has_any_permission_for(user, actions)
            .filter(pk=instance.pk)
            .exists()
        )


def lead_names(cohort: Cohort) -> str:
    return ", ".join(str(lead) for lead in cohort.leads.all())


class CohortIndexView(generic.IndexView):
    """The cohorts the user may see, with member counts and leads in a fixed number of
    queries."""

    def get_base_queryset(self):
        user = self.request.user
        member_count = (
            visible_memberships(user)
            .filter(cohort=OuterRef("pk"))
            .order_by()
            .values("cohort")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            visible_cohorts(user)
            .annotate(member_count=Coalesce(Subquery(member_count, output_field=IntegerField()), 0))
            .prefetch_related(
                Prefetch(
                    "leads", queryset=User.objects.order_by("first_name", "last_name", "email")
                )
            )
        )

    @cached_property
    def list_display(self):
        return [
            "name",
            Column("start_date", label=_("Starts"), sort_key="start_date"),
            Column("end_date", label=_("Ends"), sort_key="end_date"),
            Column("member_count", label=_("Members"), sort_key="member_count"),
            Column("leads", label=_("Leads"), accessor=lead_names),
        ]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The name opens the cohort's dashboard; editing is in the row's menu.
        return self._get_custom_column(
            field_name,
            self._get_title_column_class(column_class),
            get_url=self.get_dashboard_url,
            **kwargs,
        )

    def get_dashboard_url(self, instance):
        return reverse("cohorts_admin:dashboard", args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Dashboard"),
                url=self.get_dashboard_url(instance),
                icon_name="view",
                priority=1,
            ),
            MenuItem(
                _("Learners"),
                url=reverse("cohorts_admin:grid", args=[instance.pk]),
                icon_name="group",
                priority=2,
            ),
            *super().get_list_more_buttons(instance),
        ]


class SavedThroughServicesMixin:
    """Save with the form (which calls the services); a refusal becomes a form error."""

    def save_instance(self):
        return self.form.save()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except CohortError as error:
            form.add_error(None, str(error))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class VisibleCohortMixin:
    """Load the cohort from those the user may see; any other id is a 404.

    For the edit and delete views, which load their object through Django's
    `SingleObjectMixin.get_queryset`.
    """

    def get_queryset(self):
        return visible_cohorts(self.request.user)


class VisibleCohortObjectMixin:
    """The same rule for Wagtail's listings about one object (history, usage), which load
    the object through `get_base_object_queryset`. Their `get_queryset` is the listing
    (log entries, references), so it must be left alone."""

    def get_base_object_queryset(self):
        return visible_cohorts(self.request.user)


class CohortCreateView(SavedThroughServicesMixin, generic.CreateView):
    pass


class CohortEditView(SavedThroughServicesMixin, VisibleCohortMixin, generic.EditView):
    pass


class CohortDeleteView(VisibleCohortMixin, generic.DeleteView):
    pass


class CohortHistoryView(VisibleCohortObjectMixin, HistoryView):
    pass


class CohortUsageView(VisibleCohortObjectMixin, UsageView):
    pass


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    menu_name = "cohorts"
    menu_order = 240
    add_to_admin_menu = True
    url_prefix = "cohorts"  # beside each cohort's own pages, /admin/cohorts/<id>/
    pk_path_converter = "id"
    # Cohorts refer to pages; editors should not find cohort names in a page's usage.
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False

    index_view_class = CohortIndexView
    add_view_class = CohortCreateView
    edit_view_class = CohortEditView
    delete_view_class = CohortDeleteView
    history_view_class = CohortHistoryView
    usage_view_class = CohortUsageView

    list_per_page = 50

    def get_form_class(self, for_update=False):
        return CohortForm
