"""The lead's set pages in the Wagtail admin, beside each cohort's own pages:
/admin/cohorts/<id>/sets/ (see `admin_views`)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core import converters  # noqa: F401 - registers <id:...>

from . import admin_views, services

admin_urlpatterns = [
    path("", admin_views.OverviewView.as_view(), name="overview"),
    path("suggest/", admin_views.SuggestView.as_view(), name="suggest"),
    path("add/", admin_views.AddSetView.as_view(), name="add"),
    path("move/", admin_views.MoveView.as_view(), name="move"),
    path("<id:set_id>/rename/", admin_views.RenameView.as_view(), name="rename"),
    path("<id:set_id>/facilitator/", admin_views.FacilitatorView.as_view(), name="facilitator"),
    path("<id:set_id>/delete/", admin_views.DeleteView.as_view(), name="delete"),
]


@hooks.register("register_admin_urls")
def register_set_pages():
    return [
        path(
            "cohorts/<id:pk>/sets/",
            include((admin_urlpatterns, "learning_sets_admin"), namespace="learning_sets_admin"),
        )
    ]


@hooks.register("register_log_actions")
def register_set_actions(actions):
    actions.register_action(
        services.PLACE_ACTION, _("Place in set"), _("Placed a member in the set")
    )
    actions.register_action(
        services.REMOVE_ACTION, _("Remove from set"), _("Took a member out of the set")
    )
    actions.register_action(
        services.FACILITATOR_ACTION, _("Choose facilitator"), _("Chose the set's facilitator")
    )
    actions.register_action(
        services.SUGGESTION_ACTION,
        _("Create from suggestion"),
        _("Created the set from a suggestion"),
    )
