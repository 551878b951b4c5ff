"""Certificates for learners: download your own, and a public page that verifies a code.

A download is found by code *and* owner, so another learner or a visitor gets the same
404 whether or not the code exists. The verification page shows only what is printed on
the certificate (name, module, completion date), never who else the learner is.
"""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.data_exports import service_name

from .certificates import (
    certificate_details,
    completion_date,
    display_code,
    download_filename,
    normalise_code,
    render_pdf,
)
from .models import Certificate

NOINDEX = "noindex, nofollow"


def _noindex(response):
    response["X-Robots-Tag"] = NOINDEX
    return response


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        help_text=_(
            "It is printed at the bottom of the certificate, like ABCDE-FGHIJ-KLMNO-PQRST."
        ),
        max_length=80,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        error_messages={
            "required": _("Enter the certificate code"),
            "max_length": _("Enter the certificate code as it is printed on the certificate"),
        },
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _(
                    "Enter the certificate code as it is printed on the certificate: "
                    "20 letters and numbers, like ABCDE-FGHIJ-KLMNO-PQRST"
                )
            )
        return code


@method_decorator(never_cache, name="dispatch")
class CertificateDownloadView(View):
    """`/learn/certificates/<code>.pdf`: the learner's own certificate as a file."""

    def get(self, request, code: str):
        stored = normalise_code(code)
        if stored is None or not request.user.is_authenticated:
            raise Http404
        certificate = Certificate.objects.filter(code=stored, learner=request.user).first()
        if certificate is None:
            raise Http404
        details = certificate_details(certificate, service=service_name())
        response = HttpResponse(render_pdf(details), content_type="application/pdf")
        filename = download_filename(certificate.module_title)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return _noindex(response)


class CertificateVerifyView(View):
    """`/learn/certificates/verify/<code>/`: is this certificate genuine?"""

    def get(self, request, code: str):
        stored = normalise_code(code)
        certificate = (
            Certificate.objects.filter(code=stored)
            .only("learner", "learner_name", "module_title", "completed_at", "code")
            .first()
            if stored
            else None
        )
        if certificate is None:
            return _noindex(
                TemplateResponse(
                    request,
                    "modules/certificate_not_found.html",
                    status=404,
                )
            )
        if certificate.is_withdrawn:
            # Its learner erased their account: say so, and show nothing about them.
            return _noindex(
                TemplateResponse(request, "modules/certificate_withdrawn.html", status=410)
            )
        context = {
            "certificate": {
                "learner_name": certificate.learner_name,
                "module_title": certificate.module_title,
                "completed_on": completion_date(certificate.completed_at),
                "completed_at": certificate.completed_at,
                "code": display_code(certificate.code),
            },
        }
        return _noindex(TemplateResponse(request, "modules/certificate_verify.html", context))


class CertificateLookupView(View):
    """`/learn/certificates/verify/?code=…`: type a code from a certificate to check it."""

    def get(self, request):
        form = CertificateCodeForm(request.GET if "code" in request.GET else None)
        if form.is_valid():
            return redirect(
                "modules:certificate_verify", code=display_code(form.cleaned_data["code"])
            )
        return _noindex(
            TemplateResponse(request, "modules/certificate_verify.html", {"form": form})
        )
