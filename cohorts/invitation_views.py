"""Inviting learners to a cohort, in the Wagtail admin: the join link, and a list of
addresses pasted or uploaded as CSV.

Every address is checked before anything is written; the valid ones go in through one
call to `services.cohort_invite` (all or nothing) and the problems are listed row by row.
Nobody joins until they accept; each invitation's email is a task queued once that has
committed. The page lists the cohort's invitations by the address the lead typed, with a
status that never says more than "waiting", "accepted" or "not accepted".
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import invitations, services
from .invitations import MAX_ROWS, UploadRefused
from .models import Cohort, Invitation
from .permissions import cohort_for, visible_invitations, visible_memberships


class InviteForm(forms.Form):
    emails = forms.CharField(
        label=gettext_lazy("Email addresses"),
        required=False,
        max_length=invitations.MAX_PASTED_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "One per line, or separated by commas or semicolons. You can paste a list "
            "from your email program."
        ),
        error_messages={
            "max_length": gettext_lazy(
                "That list is too long to paste. Upload it as a CSV file, or in smaller parts."
            )
        },
    )
    file = forms.FileField(
        label=gettext_lazy("Or upload a CSV file"),
        required=False,
        help_text=gettext_lazy(
            "Addresses in a column headed 'Email', or in the first column. Up to 5,000 rows "
            "and 1 MB. From a spreadsheet, save as 'CSV UTF-8'."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return []
        # Never more than 1 MB is read: read_csv refuses anything longer, whole.
        try:
            return invitations.read_csv(upload.read(invitations.MAX_UPLOAD_BYTES + 1))
        except UploadRefused as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        entries = [
            *invitations.read_pasted(cleaned_data.get("emails") or ""),
            *(cleaned_data.get("file") or []),
        ]
        if not entries:
            self.add_error(
                "emails", _("Paste at least one email address, or choose a CSV file to upload.")
            )
        elif len(entries) > MAX_ROWS:
            self.add_error(
                "emails",
                _("That is more than %(rows)s addresses. Invite them in smaller groups.")
                % {"rows": f"{MAX_ROWS:,}"},
            )
        else:
            cleaned_data["checked"] = invitations.check_entries(entries)
        return cleaned_data


class InviteView(WagtailAdminTemplateMixin, FormView):
    """`/admin/cohorts/<id>/invite/`: for the cohort's leads (and site admins) only."""

    template_name = "cohorts/admin/invite.html"
    form_class = InviteForm
    page_title = gettext_lazy("Invite learners")
    header_icon = "mail"
    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        if self.cohort is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self) -> Cohort | None:
        return cohort_for(self.request.user, self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("cohorts_admin:dashboard", args=(self.cohort.pk,)),
                "label": self.cohort.name,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def invitations_page(self):
        """One page of the cohort's invitations: the typed address and its status only."""
        paginator = Paginator(visible_invitations(self.request.user, self.cohort), self.per_page)
        page = paginator.get_page(self.request.GET.get("page"))
        now = timezone.now()
        rows = [(invitation, invitation.status(now)) for invitation in page]
        return page, rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cohort = self.cohort
        expires_at = cohort.code_expires_at
        invitations_page, invitation_rows = self.invitations_page()
        context.update(
            {
                "cohort": cohort,
                "join_url": self.request.build_absolute_uri(
                    reverse("cohorts:join_code", args=(cohort.join_code,))
                ),
                "link_expired": expires_at is not None and expires_at <= timezone.now(),
                "member_count": visible_memberships(self.request.user, cohort).count(),
                "action_url": reverse("cohorts_admin:invite", args=(cohort.pk,)),
                "invitations_page": invitations_page,
                "invitation_rows": invitation_rows,
                "invitation_days": settings.COHORT_INVITATION_DAYS,
                "Status": Invitation.Status,
            }
        )
        return context

    def form_valid(self, form):
        checked = form.cleaned_data["checked"]
        outcome = None
        if checked.emails:
            try:
                outcome = services.cohort_invite(
                    cohort=self.cohort,
                    invited_by=self.request.user,
                    emails=checked.emails,
                    base_url=self.request.build_absolute_uri("/"),
                )
            except (IntegrityError, services.CohortError):
                # Another lead invited some of the same addresses at the same moment: the
                # whole list was rolled back, so trying again is safe.
                form.add_error(
                    None,
                    _(
                        "Someone else changed this cohort's invitations at the same time. "
                        "Nothing was added. Send the list again."
                    ),
                )
                return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=InviteForm(), done=True, outcome=outcome, row_errors=checked.errors
            )
        )
