from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
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
