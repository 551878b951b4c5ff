"""Wagtail's users app, configured to use our user screens (organisation and job role).

Wagtail picks the user viewset from the app config of `wagtail.users`
(https://docs.wagtail.org/en/stable/advanced_topics/customisation/custom_user_models.html),
so this config replaces "wagtail.users" in INSTALLED_APPS.
"""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.admin_views.UserViewSet"
