from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import is_staff_role


class StaffMFARequiredMiddleware:
    """Send staff to set up an authenticator app before they reach the Wagtail admin.

    Applies only when `STAFF_MFA_REQUIRED` is on, only under the admin, and only to people
    in a staff role (editors, approvers, programme leads, site admins, superusers).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.info(
                request,
                _(
                    "Set up two-step sign-in with an authenticator app before you use the "
                    "admin. When it is set up, choose Admin in the menu to carry on."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request) -> bool:
        if not getattr(settings, "STAFF_MFA_REQUIRED", False):
            return False
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_prefix):
            return False
        user = request.user
        if not is_staff_role(user):
            return False
        return not is_mfa_enabled(user, [Authenticator.Type.TOTP])


# The admin URLs Wagtail leaves open to everyone (they do not pass `require_admin_access`).
OPEN_ADMIN_URL_NAMES = {
    "wagtailadmin_login",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}


class AdminForStaffMiddleware:
    """Tell a signed-in person without admin access that the admin is for staff.

    Wagtail's `require_admin_access` sends them to `WAGTAILADMIN_LOGIN_URL` (our sign-in
    page), which sends a signed-in person straight back to `next`: a loop. Wagtail has no
    hook for that refusal, so this answers first, under the admin only, with a 403 page in
    the public layout. Anonymous visitors still get Wagtail's redirect to sign in.
    """

    template_name = "accounts/admin_for_staff.html"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        user = request.user
        if not user.is_authenticated or user.has_perm("wagtailadmin.access_admin"):
            return None
        if request.resolver_match.url_name in OPEN_ADMIN_URL_NAMES:
            return None
        return TemplateResponse(request, self.template_name, status=403)
