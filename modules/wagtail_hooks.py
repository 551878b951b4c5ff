"""The modules screens in the Wagtail admin: regenerating a module's certificates."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button
from wagtail.log_actions import log

from accounts.roles import SITE_ADMIN
from core.fields import IdChoiceField

from .models import ModulePage
from .services import module_certificates_regenerate

REGENERATE_LOG_ACTION = "modules.certificates_regenerate"


def can_regenerate_certificates(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=SITE_ADMIN).exists()
    )


class CertificateRegenerateForm(forms.Form):
    module = IdChoiceField(
        label=_("Module"),
        queryset=ModulePage.objects.order_by("title"),
        help_text=_("Everyone who has completed this module gets a fresh certificate."),
        error_messages={"required": _("Choose a module"), "invalid_choice": _("Choose a module")},
    )


class CertificateRegenerateView(WagtailAdminTemplateMixin, FormView):
    form_class = CertificateRegenerateForm
    template_name = "modules/admin/certificate_regenerate.html"
    page_title = _("Regenerate certificates")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not can_regenerate_certificates(request.user):
            # Wagtail's admin turns PermissionDenied into a redirect; refuse plainly.
            return TemplateResponse(request, "403.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # The module page's "Regenerate certificates" button chooses its module.
        module_id = self.request.GET.get("module", "")
        return {"module": module_id} if module_id.isdigit() else {}

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("modules_certificates_regenerate"),
            submit_button_label=_("Regenerate certificates"),
            submit_button_active_label=_("Regenerating…"),
            **kwargs,
        )

    def form_valid(self, form):
        module = form.cleaned_data["module"]
        count = module_certificates_regenerate(module=module)
        log(module, REGENERATE_LOG_ACTION, user=self.request.user, data={"certificates": count})
        messages.success(
            self.request,
            ngettext(
                "Regenerating %(count)d certificate for ‘%(module)s’.",
                "Regenerating %(count)d certificates for ‘%(module)s’.",
                count,
            )
            % {"count": count, "module": module.title},
        )
        return redirect("modules_certificates_regenerate")


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return can_regenerate_certificates(request.user)


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [
        path(
            "certificates/regenerate/",
            CertificateRegenerateView.as_view(),
            name="modules_certificates_regenerate",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"),
        reverse("modules_certificates_regenerate"),
        name="certificates",
        icon_name="doc-full",
        order=260,
    )


@hooks.register("register_page_header_buttons")
def certificates_button_for_module_pages(page, user, view_name, next_url=None):
    is_module = issubclass(page.specific_class or type(page), ModulePage)
    if is_module and can_regenerate_certificates(user):
        url = reverse("modules_certificates_regenerate")
        yield Button(
            _("Regenerate certificates"),
            url=f"{url}?module={page.pk}",
            icon_name="doc-full",
            priority=80,
        )


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        REGENERATE_LOG_ACTION, _("Regenerate certificates"), _("Certificates regenerated")
    )
