"""The preferences page (signed in) and one-click unsubscribe (no sign-in: the signed
token in the link is what proves the email was theirs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from cohorts.permissions import is_programme_lead

from .forms import PreferencesForm
from .models import Kind, Preferences
from .services import preferences_save, preferences_switch_off
from .unsubscribe import unsubscribe_read


class PreferencesView(LoginRequiredMixin, View):
    template_name = "notifications/preferences.html"

    def _form(self, request: HttpRequest, data=None) -> PreferencesForm:
        instance = Preferences.objects.filter(person=request.user).first() or Preferences(
            person=request.user
        )
        return PreferencesForm(data, instance=instance, is_lead=is_programme_lead(request.user))

    def _render(self, request: HttpRequest, form: PreferencesForm, status: int = 200):
        return render(request, self.template_name, {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        if not form.is_valid():
            return self._render(request, form)
        preferences_save(request.user, {name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, _("Your email preferences have been saved."))
        return redirect("notifications:preferences")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """GET asks for confirmation (mail scanners follow links; they must not unsubscribe
    anyone); POST, from the button or from a mail client's RFC 8058 one-click request,
    switches the kind off. Exempt from CSRF: the signed token is the credential, and a
    mail client's POST carries no cookie."""

    template_name = "notifications/unsubscribe.html"

    def _read(self, token: str):
        found = unsubscribe_read(token)
        if found is None:
            raise Http404
        person = get_user_model().objects.filter(pk=found.person_id, is_active=True).first()
        if person is None:
            raise Http404
        return found, person

    def _context(self, found) -> dict:
        return {
            "kind": found.kind,
            "kind_label": Kind(found.kind).label,
            "is_summary": found.kind == Kind.WEEKLY_SUMMARY,
        }

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        found, _person = self._read(token)
        return render(request, self.template_name, {**self._context(found), "done": False})

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        found, person = self._read(token)
        preferences_switch_off(person, found.switches_off)
        return render(request, self.template_name, {**self._context(found), "done": True})
