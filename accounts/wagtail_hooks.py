"""The accounts screens in the Wagtail admin: organisations, and the user screens' extras."""

from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from . import admin_views, data_requests, services
from .admin_forms import OrganisationAdminForm
from .filters import OrganisationFilterSet
from .models import Organisation, User


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_name = "organisations"
    menu_order = 250
    add_to_admin_menu = True
    # Members are users, which the reference index does not track.
    add_to_reference_index = False
    copy_view_enabled = False

    index_view_class = admin_views.OrganisationIndexView
    add_view_class = admin_views.OrganisationCreateView
    edit_view_class = admin_views.OrganisationEditView
    delete_view_class = admin_views.OrganisationDeleteView
    approve_view_class = admin_views.OrganisationApproveView
    merge_view_class = admin_views.OrganisationMergeView

    filterset_class = OrganisationFilterSet
    index_template_name = "accounts/admin/organisation_index.html"
    search_backend_name = "default"
    ordering = "name"
    list_per_page = 50
    list_export = [
        "name",
        "get_type_display",
        "get_status_display",
        "ods_code",
        "member_count",
        "created_at",
    ]
    export_headings = {
        "get_type_display": _("Type"),
        "get_status_display": _("Status"),
        "member_count": _("Members"),
    }

    def get_form_class(self, for_update=False):
        return OrganisationAdminForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            approve_url_name=self.get_url_name("approve"),
            merge_url_name=self.get_url_name("merge"),
            **kwargs,
        )

    @cached_property
    def approve_view(self):
        return self.construct_view(self.approve_view_class)

    @cached_property
    def merge_view(self):
        return self.construct_view(self.merge_view_class)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("approve/<int:pk>/", self.approve_view, name="approve"),
            path("merge/<int:pk>/", self.merge_view, name="merge"),
        ]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


hooks.register("register_admin_urls", data_requests.admin_urls)
hooks.register("register_settings_menu_item", data_requests.data_requests_menu_item)


hooks.register("register_bulk_action", admin_views.ApproveOrganisationsBulkAction)
# After wagtail.users' own bulk delete (order 0), so that this one replaces it.
hooks.register("register_bulk_action", admin_views.UserEraseBulkAction, order=1)


@hooks.register("register_actions")
def register_user_erase_action(registry):
    """A site admin's "Delete user" erases the person through `services.account_erase`."""
    registry.register(User, admin_views.UserEraseAction)


@hooks.register("register_log_actions")
def register_organisation_log_actions(actions):
    @actions.register_action(admin_views.MERGE_LOG_ACTION)
    class MergeFormatter(LogFormatter):
        label = _("Merge organisations")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            count = data.get("members_moved", 0)
            return ngettext(
                "Merged '%(source)s' into this organisation; %(count)d member moved.",
                "Merged '%(source)s' into this organisation; %(count)d members moved.",
                count,
            ) % {
                "source": data.get("source", {}).get("name", _("another organisation")),
                "count": count,
            }

    actions.register_action(
        admin_views.APPROVE_LOG_ACTION, _("Approve organisation"), _("Approved")
    )
    actions.register_action(
        data_requests.DATA_EXPORT_LOG_ACTION,
        _("Data download requested"),
        _("A site admin asked for this person's data download"),
    )
    actions.register_action(
        services.ERASE_LOG_ACTION,
        _("Erase account"),
        _("Erased the account and the personal data it held"),
    )
