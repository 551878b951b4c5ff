from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from core.downloads import mark_private, private_file_response

from . import data_exports, erasure
from .forms import AccountDeleteForm, ProfileForm
from .models import DataExport

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


class DataExportView(LoginRequiredMixin, TemplateView):
    """ "Your data": what a download holds, the latest request's status, the link to a
    ready download, and the button that asks for a new one."""

    template_name = "accounts/data_export.html"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = data_exports.latest_data_export(self.request.user)
        now = timezone.now()
        context.update(
            form=form or forms.Form(),
            latest=latest,
            downloadable=latest is not None and latest.is_downloadable(now),
            expired=latest is not None and latest.is_expired(now),
            in_progress=latest is not None and latest.status in DataExport.IN_PROGRESS,
            failed=latest is not None and latest.status == DataExport.Status.FAILED,
            retention_days=settings.DATA_EXPORT_RETENTION_DAYS,
        )
        return context

    def get(self, request, *args, **kwargs):
        return mark_private(super().get(request, *args, **kwargs))

    def post(self, request, *args, **kwargs):
        form = forms.Form(request.POST)
        try:
            data_exports.data_export_request(
                user=request.user, base_url=request.build_absolute_uri("/")
            )
        except data_exports.DataExportRefused as refusal:
            form.is_valid()
            form.add_error(None, str(refusal))
            return mark_private(self.render_to_response(self.get_context_data(form=form)))
        messages.success(
            request,
            _("We are preparing your data. We will email you at %(email)s when it is ready.")
            % {"email": request.user.email},
        )
        return redirect("accounts_data")


class DataExportDownloadView(LoginRequiredMixin, View):
    """A person's own ready download, as an attachment: the only door to the files of
    `data_export_build`. Anyone else's, or one that is not ready, is not found (404); one
    past its expiry is gone (410)."""

    def get(self, request, pk):
        export = DataExport.objects.filter(pk=pk, user=request.user).first()
        if export is None or export.status != DataExport.Status.READY:
            raise Http404
        if export.is_expired():
            response = TemplateResponse(
                request,
                "accounts/data_export_expired.html",
                {"retention_days": settings.DATA_EXPORT_RETENTION_DAYS},
                status=410,
            )
            return mark_private(response)
        return private_file_response(
            storage=export.file.storage,
            name=export.file.name,
            filename=data_exports.download_filename(export),
            content_type="application/zip",
        )


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
