"""Views behind the organisation and user screens in the Wagtail admin.

The viewsets that wire these up live in `wagtail_hooks.py`.
"""

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.db.models.functions import Lower
from django.shortcuts import get_list_or_404, get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.actions.delete import DeleteAction
from wagtail.admin import messages
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import (
    BulkActionsCheckboxColumn,
    Column,
    DateColumn,
    StatusTagColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.search.backends import get_search_backend
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions.delete import DeleteBulkAction

from . import services
from .admin_forms import (
    DUPLICATE_NAME_MESSAGE,
    AdminUserCreationForm,
    AdminUserEditForm,
    OrganisationMergeForm,
)
from .filters import OrganisationFilterSet
from .models import Organisation

ADMIN_DELETE_REASON = "Deleted by a site admin in the users area of the admin."
MERGE_LOG_ACTION = "accounts.organisation.merge"
APPROVE_LOG_ACTION = "accounts.organisation.approve"
BULK_OBJ_TYPE = "organisation"


def user_can_merge_organisations(user) -> bool:
    """Merging moves people and deletes an organisation: it needs change and delete."""
    policy = policy_registry.get_by_type(Organisation)
    return policy.user_has_permission(user, "change") and policy.user_has_permission(user, "delete")


def user_can_approve_organisations(user) -> bool:
    return policy_registry.get_by_type(Organisation).user_has_permission(user, "change")


def search_organisations(queryset, query: str):
    """Narrow `queryset` to the organisations whose names match `query`.

    The search index finds the matches; the ORM then filters and sorts them. Handing the
    annotated, explicitly ordered listing queryset to the search backend fails: it can
    only sort by indexed filter fields, and `member_count` is an annotation.
    """
    matches = get_search_backend().autocomplete(
        query, Organisation.objects.order_by(), order_by_relevance=False
    )
    return queryset.filter(pk__in=[organisation.pk for organisation in matches])


class OrganisationActionURLsMixin:
    """URL names for the approve and merge views, passed in by the viewset."""

    approve_url_name = None
    merge_url_name = None

    def get_approve_url(self, instance):
        if (
            self.approve_url_name
            and instance.is_pending
            and user_can_approve_organisations(self.request.user)
        ):
            return reverse(self.approve_url_name, args=(quote(instance.pk),))
        return None

    def get_merge_url(self, instance):
        if self.merge_url_name and user_can_merge_organisations(self.request.user):
            return reverse(self.merge_url_name, args=(quote(instance.pk),))
        return None


class OrganisationIndexView(OrganisationActionURLsMixin, generic.IndexView):
    """Organisations with their member counts, searchable and filterable in one query."""

    @cached_property
    def columns(self):
        return [
            BulkActionsCheckboxColumn("bulk_actions", obj_type=BULK_OBJ_TYPE),
            *super().columns,
        ]

    def _get_title_column(self, *args, **kwargs):
        return super()._get_title_column(
            *args,
            **kwargs,
            get_title_id=lambda instance: f"{BULK_OBJ_TYPE}_{quote(instance.pk)}_title",
        )

    @cached_property
    def list_display(self):
        return [
            "name",
            Column(
                "type", label=gettext_lazy("Type"), accessor="get_type_display", sort_key="type"
            ),
            StatusTagColumn(
                "status",
                label=gettext_lazy("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda organisation: not organisation.is_pending,
            ),
            Column(
                "member_count",
                label=gettext_lazy("Members"),
                sort_key="member_count",
            ),
            DateColumn("created_at", label=gettext_lazy("Created"), sort_key="created_at"),
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().with_member_count()

    def order_queryset(self, queryset):
        # Names sort without regard to case, as the model's default ordering does; ties
        # fall back on the name, then the id, so that pagination is stable.
        ordering = {"name": [Lower("name")], "-name": [Lower("name").desc()]}.get(
            self.ordering, [self.ordering] if self.ordering else []
        )
        return queryset.order_by(*ordering, Lower("name"), "pk")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_organisations(queryset, self.search_query)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if approve_url := self.get_approve_url(instance):
            buttons.append(
                MenuItem(_("Approve"), url=approve_url, icon_name="success", priority=15)
            )
        if merge_url := self.get_merge_url(instance):
            buttons.append(
                MenuItem(_("Merge into…"), url=merge_url, icon_name="redirect", priority=25)
            )
        return buttons


class IntegrityErrorAsNameErrorMixin:
    """Report a name taken a moment ago (a race past `clean_name`) next to the field."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except IntegrityError:
            form.add_error("name", DUPLICATE_NAME_MESSAGE)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class OrganisationCreateView(IntegrityErrorAsNameErrorMixin, generic.CreateView):
    pass


class OrganisationEditView(
    IntegrityErrorAsNameErrorMixin, OrganisationActionURLsMixin, generic.EditView
):
    def get_usage_url(self):
        # Members are what keep an organisation in use; the reference index does not
        # track them, so its usage count would mislead.
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if approve_url := self.get_approve_url(self.object):
            buttons.append(Button(_("Approve"), url=approve_url, icon_name="success", priority=5))
        if merge_url := self.get_merge_url(self.object):
            buttons.append(
                Button(_("Merge into…"), url=merge_url, icon_name="redirect", priority=15)
            )
        return buttons


class OrganisationDeleteView(generic.DeleteView):
    """Delete an organisation only when nobody belongs to it; otherwise point to merge."""

    template_name = "accounts/admin/organisation_confirm_delete.html"
    merge_url_name = None

    def get_usage_url(self):
        return None

    @cached_property
    def member_count(self) -> int:
        return self.object.members.count()

    def get_merge_url(self):
        if self.merge_url_name and user_can_merge_organisations(self.request.user):
            return reverse(self.merge_url_name, args=(quote(self.object.pk),))
        return None

    def refuse(self):
        messages.error(
            self.request,
            ngettext(
                "'%(name)s' cannot be deleted because %(count)d person belongs to it. "
                "Merge it into another organisation instead.",
                "'%(name)s' cannot be deleted because %(count)d people belong to it. "
                "Merge it into another organisation instead.",
                self.member_count,
            )
            % {"name": self.object.name, "count": self.member_count},
        )
        return redirect(self.get_delete_url())

    def form_valid(self, form):
        if self.member_count:
            return self.refuse()
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            # Someone joined between the count and the delete.
            self.__dict__.pop("member_count", None)
            return self.refuse()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member_count"] = self.member_count
        context["merge_url"] = self.get_merge_url()
        return context


class OrganisationObjectMixin:
    """Check permission first, then load the organisation (404 if it does not exist)."""

    model = Organisation
    index_url_name = None
    edit_url_name = None
    header_icon = ""

    def user_may_proceed(self, user) -> bool:
        """Each view says who may use it; nobody may unless it does."""
        return False

    def dispatch(self, request, *args, **kwargs):
        if not self.user_may_proceed(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(
            Organisation.objects.with_member_count(), pk=kwargs.get("pk")
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        edit_url = reverse(self.edit_url_name, args=(quote(self.object.pk),))
        return [
            *self.breadcrumbs_items,
            {
                "url": self.get_index_url(),
                "label": capfirst(Organisation._meta.verbose_name_plural),
            },
            {"url": edit_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_index_url(self):
        return reverse(self.index_url_name)


class OrganisationApproveView(OrganisationObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/organisation_approve.html"
    page_title = gettext_lazy("Approve organisation")
    approve_url_name = None

    def user_may_proceed(self, user) -> bool:
        return user_can_approve_organisations(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["action_url"] = reverse(self.approve_url_name, args=(quote(self.object.pk),))
        context["index_url"] = self.get_index_url()
        return context

    def post(self, request, *args, **kwargs):
        if not self.object.is_pending:
            messages.info(
                request, _("'%(name)s' is already approved.") % {"name": self.object.name}
            )
            return redirect(self.get_index_url())
        with transaction.atomic():
            services.organisation_approve(organisation=self.object)
            log(self.object, APPROVE_LOG_ACTION, user=request.user)
        messages.success(request, _("'%(name)s' approved.") % {"name": self.object.name})
        return redirect(self.get_index_url())


class OrganisationMergeView(OrganisationObjectMixin, WagtailAdminTemplateMixin, FormView):
    """Choose a target, confirm a summary, then move every member and delete the source."""

    template_name = "accounts/admin/organisation_merge.html"
    page_title = gettext_lazy("Merge organisation")
    merge_url_name = None

    def user_may_proceed(self, user) -> bool:
        return user_can_merge_organisations(user)

    def get_form(self, form_class=None):
        return OrganisationMergeForm(**self.get_form_kwargs(), source=self.object)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("prefix", None)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["action_url"] = reverse(self.merge_url_name, args=(quote(self.object.pk),))
        context["index_url"] = self.get_index_url()
        return context

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        if not form.cleaned_data["confirmed"]:
            target_count = target.members.count()
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    confirming=True,
                    target=target,
                    target_member_count=target_count,
                )
            )
        source = {"id": self.object.pk, "name": self.object.name}
        source_name = source["name"]
        try:
            with transaction.atomic():
                moved = services.organisation_merge(source=self.object, target=target)
                log(
                    target,
                    MERGE_LOG_ACTION,
                    user=self.request.user,
                    data={"source": source, "members_moved": moved},
                )
        except (ProtectedError, IntegrityError):
            form.add_error(
                None,
                _(
                    "'%(name)s' could not be merged because other records still refer to "
                    "it. Nothing has changed."
                )
                % {"name": source_name},
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "'%(source)s' merged into '%(target)s': %(count)d member moved.",
                "'%(source)s' merged into '%(target)s': %(count)d members moved.",
                moved,
            )
            % {"source": source_name, "target": target.name, "count": moved},
        )
        return redirect(self.get_index_url())


class ApproveOrganisationsBulkAction(PermissionCheckedMixin, BulkAction):
    """Approve the pending organisations among those ticked in the listing."""

    display_name = gettext_lazy("Approve")
    action_type = "approve"
    aria_label = gettext_lazy("Approve the selected organisations")
    template_name = "accounts/admin/organisation_bulk_approve.html"
    action_priority = 10
    models = [Organisation]
    permission_required = "change"

    @classmethod
    def get_queryset(cls, model, object_ids):
        if not isinstance(object_ids, QuerySet):
            # Ids come from the query string; ignore any that could not be one.
            object_ids = [pk for pk in object_ids if str(pk).isdigit()]
        return get_list_or_404(model.objects.order_by(Lower("name")), pk__in=object_ids)

    def get_all_objects_in_listing_query(self, parent_id):
        """With "select all", act on what the listing shows: its search and filters apply."""
        queryset = Organisation.objects.order_by()
        filters = OrganisationFilterSet(self.request.GET, queryset=queryset, request=self.request)
        if filters.is_valid():
            queryset = filters.qs
        if query := self.request.GET.get("q", "").strip():
            queryset = search_organisations(queryset, query)
        return queryset.values_list("pk", flat=True)

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        context["already_approved"] = [o for o in objects if not o.is_pending]
        return [o for o in objects if o.is_pending], context

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        for organisation in objects:
            services.organisation_approve(organisation=organisation)
            log(organisation, APPROVE_LOG_ACTION, user=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d organisation approved.",
            "%(count)d organisations approved.",
            num_parent_objects,
        ) % {"count": num_parent_objects}


# Users ------------------------------------------------------------------------------


class UserIndexView(wagtail_users.IndexView):
    """Wagtail's user listing with each person's organisation, fetched in the same query."""

    @cached_property
    def columns(self):
        columns = list(super().columns)
        columns.insert(
            3,
            Column(
                "organisation",
                accessor="organisation.name",
                label=gettext_lazy("Organisation"),
                sort_key="organisation__name",
                classname="organisation",
                width="20%",
            ),
        )
        return columns

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("organisation")


class UserViewSet(wagtail_users.UserViewSet):
    """Wagtail's user screens, with the organisation and job role added.

    Installed through `accounts.apps_wagtailusers.UsersAppConfig`, which replaces
    "wagtail.users" in INSTALLED_APPS.
    """

    index_view_class = UserIndexView
    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm


# Deleting users erases them -------------------------------------------------------------
#
# Wagtail 8's user delete view runs the "delete" action registered for the model
# (`wagtail.actions.registry`, filled by the `register_actions` hook); its bulk delete
# calls the bulk action's `execute_action`. Both are replaced (in wagtail_hooks.py) so that
# a site admin's "Delete user" goes through `services.account_erase`, exactly as a
# person's own request does, instead of a bare `delete()` that would leave certificates
# 404ing, invitations holding the address and audit entries holding the name.


class UserEraseAction(DeleteAction):
    """Delete a user by erasing them (`services.account_erase`), which logs the erasure
    under the person's pseudonym instead of Wagtail's "wagtail.delete" with their name."""

    def _delete(self):
        services.account_erase(user=self.instance, by=self.user, reason=ADMIN_DELETE_REASON)


class UserEraseBulkAction(DeleteBulkAction):
    """Wagtail's bulk "Delete" for users, erasing each through `services.account_erase`
    in one transaction."""

    def get_execution_context(self):
        return {**super().get_execution_context(), "by": self.request.user}

    @classmethod
    def execute_action(cls, objects, model=None, by=None, **kwargs):
        with transaction.atomic():
            for user in objects:
                services.account_erase(user=user, by=by, reason=ADMIN_DELETE_REASON)
        return len(objects), 0
