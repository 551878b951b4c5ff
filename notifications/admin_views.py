"""The "Send a nudge" page in the Wagtail admin, under /admin/cohorts/<id>/nudge/.

The cohort comes through `cohorts.permissions.cohort_for` (any other id is a 404), and the
learners through `nudges.nudge_plan`, which reads only members the user may see. The page
is reached by a POST from the learner grid (the chosen checkboxes, or "all listed" with the
grid's filters); a GET only explains how to get there. Writing, previewing and sending are
POSTs of the same form; sending redirects back to the grid with what happened.
"""

import uuid

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from accounts.models import User
from cohorts.permissions import cohort_for
from cohorts.report_views import grid_memberships

from . import nudges
from .admin_forms import NudgeForm


def plan_lines(plan: nudges.Plan) -> list[str]:
    """What will happen (or happened) to the chosen learners, one sentence a group."""
    lines = [
        ngettext(
            "%(count)s learner will get this nudge.",
            "%(count)s learners will get this nudge.",
            len(plan.eligible),
        )
        % {"count": len(plan.eligible)}
    ]
    if plan.switched_off:
        lines.append(
            ngettext(
                "%(count)s learner has switched off messages from programme leads, so will "
                "not get it.",
                "%(count)s learners have switched off messages from programme leads, so will "
                "not get it.",
                len(plan.switched_off),
            )
            % {"count": len(plan.switched_off)}
        )
    if plan.recently_nudged:
        lines.append(
            ngettext(
                "%(count)s learner was sent a nudge in the last 7 days, so will not get "
                "another yet.",
                "%(count)s learners were sent a nudge in the last 7 days, so will not get "
                "another yet.",
                len(plan.recently_nudged),
            )
            % {"count": len(plan.recently_nudged)}
        )
    if plan.cannot_email:
        lines.append(
            ngettext(
                "%(count)s learner cannot be emailed (their email address is not confirmed, "
                "or their account is closed or left out of reports).",
                "%(count)s learners cannot be emailed (their email addresses are not "
                "confirmed, or their accounts are closed or left out of reports).",
                len(plan.cannot_email),
            )
            % {"count": len(plan.cannot_email)}
        )
    if plan.left_out:
        lines.append(
            ngettext(
                "%(count)s learner you chose is no longer a member of this cohort.",
                "%(count)s learners you chose are no longer members of this cohort.",
                plan.left_out,
            )
            % {"count": plan.left_out}
        )
    return lines


class NudgeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "notifications/admin/nudge.html"
    page_title = gettext_lazy("Send a nudge")
    header_icon = "mail"
    http_method_names = ["get", "post", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        if self.cohort is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def cohort(self):
        return cohort_for(self.request.user, self.kwargs["pk"])

    @cached_property
    def grid_url(self) -> str:
        return reverse("cohorts_admin:grid", args=[self.cohort.pk])

    def get_page_subtitle(self):
        return self.cohort.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("cohorts_admin:dashboard", args=[self.cohort.pk]),
                "label": self.cohort.name,
            },
            {"url": self.grid_url, "label": _("Learners")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cohort=self.cohort,
            grid_url=self.grid_url,
            action_url=reverse("notifications_admin:nudge", args=[self.cohort.pk]),
            placeholders=nudges.PLACEHOLDERS,
        )
        plan = context.get("plan")
        if plan is not None:
            context["plan_lines"] = plan_lines(plan)
        return context

    def compose(self, form: NudgeForm, learner_ids: list[int], **extra):
        plan = nudges.nudge_plan(
            user=self.request.user, cohort=self.cohort, learner_ids=learner_ids
        )
        return self.render_to_response(self.get_context_data(form=form, plan=plan, **extra))

    def post(self, request, *args, **kwargs):
        if "choose" in request.POST:
            return self.chosen_in_grid()
        form = NudgeForm(request.POST)
        if not form.is_valid():
            if "learners" in form.errors or "run" in form.errors:
                return self.render_to_response(
                    self.get_context_data(selection_error=form.errors.get("learners"))
                )
            return self.compose(form, form.cleaned_data["learners"])
        data = form.cleaned_data
        if request.POST.get("action") != "send":
            return self.compose(form, data["learners"], preview=self.preview(data))
        try:
            outcome = nudges.nudge_send(
                user=request.user,
                cohort=self.cohort,
                learner_ids=data["learners"],
                subject=data["subject"],
                message=data["message"],
                run=data["run"],
            )
        except nudges.NudgeError as error:
            form.add_error(None, str(error))
            return self.compose(form, data["learners"])
        if outcome.repeated:
            messages.info(request, _("This nudge was sent already. Nothing more was sent."))
            return redirect(self.grid_url)
        if outcome.nudge is None:
            form.add_error(
                None, _("Nobody you chose can be sent a nudge now, so nothing was sent.")
            )
            return self.compose(form, data["learners"])
        lines = plan_lines(outcome.plan)
        lines[0] = ngettext(
            "Your nudge is on its way to %(count)s learner.",
            "Your nudge is on its way to %(count)s learners.",
            outcome.nudge.sent,
        ) % {"count": outcome.nudge.sent}
        messages.success(request, " ".join(lines))
        return redirect(self.grid_url)

    def chosen_in_grid(self):
        """The grid's buttons: this page's checkboxes, or every learner it lists."""
        request = self.request
        if request.POST.get("choose") == "all":
            query = request.POST.get("grid_query", "")
            rows = grid_memberships(request, self.cohort, query).order_by()
            ids = list(rows.values_list("learner_id", flat=True)[: nudges.MAX_CHOSEN + 1])
        else:
            ids = nudges.parse_ids(request.POST.getlist("learner")[: nudges.MAX_CHOSEN + 1])
        if not ids:
            messages.error(request, _("Choose at least one learner to send a nudge to."))
            return redirect(self.grid_url)
        if len(ids) > nudges.MAX_CHOSEN:
            messages.error(
                request,
                _("Choose at most %(most)s learners at a time. Narrow the list with the filters.")
                % {"most": nudges.MAX_CHOSEN},
            )
            return redirect(self.grid_url)
        form = NudgeForm(
            initial={
                "learners": ",".join(str(pk) for pk in ids),
                "run": uuid.uuid4(),
                "subject": nudges.default_subject(self.cohort),
                "message": nudges.default_message(self.cohort),
            }
        )
        return self.compose(form, ids)

    def preview(self, data) -> dict | None:
        """The email as the first chosen learner would get it (text part)."""
        plan = nudges.nudge_plan(
            user=self.request.user, cohort=self.cohort, learner_ids=data["learners"][:1]
        )
        if not plan.chosen:
            return None
        person = User.objects.get(pk=plan.chosen[0])
        email = nudges.nudge_email(
            person=person,
            cohort=self.cohort,
            lead=self.request.user,
            subject=data["subject"],
            message=data["message"],
        )
        return {
            "to": person.get_full_name() or person.email,
            "subject": email.subject,
            "body": email.body,
        }
