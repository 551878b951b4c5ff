"""Settings › Data requests: site admins act on a person's data rights request.

Find a person by their exact email address; see what the site holds about them as counts
per section (the privacy registry's export, counted: no answer, reflection or other text
is shown); then produce their data download, or erase them. Each action needs a reason,
and each is audit-logged: the download request as `DATA_EXPORT_LOG_ACTION` against the
person, labelled with their pseudonym; the erasure by `services.account_erase` itself
(`services.ERASE_LOG_ACTION`), which names them only by their pseudonym.

Only site admins (superusers and the Site admin role: whoever may delete users, see
`erasure.may_erase_others`) reach these views; anyone else in the admin gets Wagtail's
"permission denied" redirect. The finding form posts, so that an
address never sits in a URL or an access log; the person's pages carry only their id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from . import erasure, retention
from .admin_forms import DataRequestEraseForm, DataRequestFindForm, DataRequestReasonForm
from .data_exports import DataExportRefused, data_export_request
from .models import User
from .privacy import pseudonym, registry

DATA_EXPORT_LOG_ACTION = "accounts.data_export_request"


@dataclass(frozen=True)
class SectionSummary:
    section: str
    label: str
    counts: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(count for _label, count in self.counts)


def _label(key: str) -> str:
    return key.replace("_", " ").strip().capitalize()


def _count(value: Any) -> int:
    if isinstance(value, list | tuple | set):
        return len(value)
    if isinstance(value, dict):
        return 1 if value else 0
    return 0 if value in (None, "", False) else 1


def data_summary(user: User) -> list[SectionSummary]:
    """What the site holds about `user`: per provider section, per kind of record, how
    many. Built from the registry's export, so it can never miss what the download holds;
    only numbers leave this function."""
    return [
        SectionSummary(
            section=section,
            label=_label(section),
            counts=[(_label(key), _count(value)) for key, value in data.items()],
        )
        for section, data in registry.export(user).items()
    ]


def person_label(user: User) -> str:
    """How the audit log names a person acted on here: by pseudonym, never by name."""
    return _("Person %(code)s") % {"code": pseudonym(user)}


class SiteAdminOnlyMixin:
    """Who asks is checked before anything is looked up, so that nobody else can even
    learn whether an id exists."""

    def dispatch(self, request, *args, **kwargs):
        if not erasure.may_erase_others(request.user):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request, *args, **kwargs)

    def load(self, **kwargs) -> None:
        pass


class DataRequestsIndexView(SiteAdminOnlyMixin, WagtailAdminTemplateMixin, FormView):
    """Find a person; and the staff accounts past retention, which only a person decides."""

    template_name = "accounts/admin/data_requests_index.html"
    page_title = gettext_lazy("Data requests")
    header_icon = "user"
    form_class = DataRequestFindForm

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_past_retention"] = list(
            retention.staff_past_retention().only(
                "pk", "email", "first_name", "last_name", "last_login", "date_joined"
            )[:100]
        )
        context["retention_days"] = retention.retention_days().days
        return context

    def form_valid(self, form):
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error(
                "email",
                _("Nobody has an account with this email address. Check it and try again."),
            )
            return self.form_invalid(form)
        return redirect("data_requests:person", pk=person.pk)


class PersonMixin(SiteAdminOnlyMixin, WagtailAdminTemplateMixin):
    header_icon = "user"

    def load(self, **kwargs) -> None:
        self.person = get_object_or_404(User, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return self.person.email

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("data_requests:index"), "label": _("Data requests")},
            {"url": reverse("data_requests:person", args=(self.person.pk,)), "label": _("Person")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["person"] = self.person
        context["person_url"] = reverse("data_requests:person", args=(self.person.pk,))
        context["export_url"] = reverse("data_requests:export", args=(self.person.pk,))
        context["erase_url"] = reverse("data_requests:erase", args=(self.person.pk,))
        context["refusal"] = erasure.erasure_refusal(user=self.person, by=self.request.user)
        return context


class DataRequestPersonView(PersonMixin, TemplateView):
    template_name = "accounts/admin/data_request_person.html"
    page_title = gettext_lazy("What the site holds")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("data_requests:index"), "label": _("Data requests")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = data_summary(self.person)
        context["roles"] = sorted(self.person.groups.values_list("name", flat=True))
        return context


class DataRequestExportView(PersonMixin, FormView):
    template_name = "accounts/admin/data_request_export.html"
    page_title = gettext_lazy("Produce their data download")
    form_class = DataRequestReasonForm

    def form_valid(self, form):
        reason = form.cleaned_data["reason"]
        try:
            with transaction.atomic():
                data_export_request(
                    user=self.person,
                    requested_by=self.request.user,
                    reason=reason,
                    base_url=self.request.build_absolute_uri("/"),
                )
                log(
                    instance=self.person,
                    action=DATA_EXPORT_LOG_ACTION,
                    user=self.request.user,
                    title=person_label(self.person),
                    data={"reason": reason},
                )
        except DataExportRefused as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "Their data download is being prepared. They will be emailed a link when it "
                "is ready; it works only when they are signed in."
            ),
        )
        return redirect("data_requests:person", pk=self.person.pk)


class DataRequestEraseView(PersonMixin, FormView):
    """Give the reason, check what will go, then erase."""

    template_name = "accounts/admin/data_request_erase.html"
    page_title = gettext_lazy("Erase this person")
    form_class = DataRequestEraseForm

    def form_valid(self, form):
        if not form.cleaned_data["confirmed"]:
            return self.render_to_response(
                self.get_context_data(form=form, confirming=True, summary=data_summary(self.person))
            )
        code = pseudonym(self.person)
        try:
            erasure.account_erase_requested(
                user=self.person, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except erasure.ErasureRefused as refused:
            form.add_error(None, str(refused))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The account has been erased. The audit log records it under the pseudonym %(code)s.")
            % {"code": code},
        )
        return redirect("data_requests:index")


def urlpatterns():
    return [
        path("", DataRequestsIndexView.as_view(), name="index"),
        path("<id:pk>/", DataRequestPersonView.as_view(), name="person"),
        path("<id:pk>/export/", DataRequestExportView.as_view(), name="export"),
        path("<id:pk>/erase/", DataRequestEraseView.as_view(), name="erase"),
    ]


def admin_urls():
    return [path("data-requests/", include((urlpatterns(), "data_requests")))]


class DataRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return erasure.may_erase_others(request.user)


def data_requests_menu_item():
    return DataRequestsMenuItem(
        gettext_lazy("Data requests"),
        reverse("data_requests:index"),
        name="data-requests",
        icon_name="user",
        order=650,
    )
