from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from . import erasure
from .forms import AccountDeleteForm, ProfileForm

ACCOUNT_DELETED_SESSION_KEY = "accounts_deleted"


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "accounts/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts_profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Your profile has been updated."))
        return super().form_valid(form)


# allauth's own re-authentication: without a recent "confirm it is you" (password, or the
# authenticator app; ACCOUNT_REAUTHENTICATION_METHODS), the request is set aside and the
# person is sent to confirm, then brought back to it.
@method_decorator(reauthentication_required, name="dispatch")
class AccountDeleteView(LoginRequiredMixin, FormView):
    """Delete my account: what goes, what stays without a name and why, then a tick box
    and a button. The erasure itself is `accounts.services.account_erase`."""

    template_name = "accounts/account_delete.html"
    form_class = AccountDeleteForm
    success_url = reverse_lazy("accounts_deleted")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["refusal"] = erasure.erasure_refusal(user=self.request.user)
        return context

    def form_valid(self, form):
        try:
            erasure.account_erase_requested(user=self.request.user)
        except erasure.ErasureRefused as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        # The session is already gone from the database; this clears the cookie and the
        # request's user, then marks the fresh session for the confirmation page.
        logout(self.request)
        self.request.session[ACCOUNT_DELETED_SESSION_KEY] = True
        return redirect(self.get_success_url())


class AccountDeletedView(TemplateView):
    """Confirms the deletion once, to the browser that asked for it; anyone else is sent
    to the home page."""

    template_name = "accounts/account_deleted.html"

    def get(self, request, *args, **kwargs):
        if not request.session.pop(ACCOUNT_DELETED_SESSION_KEY, False):
            return redirect("/")
        return super().get(request, *args, **kwargs)
