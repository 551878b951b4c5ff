"""Learner-facing cohort pages: joining by link and accepting an invitation."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.models import User
from core import forms as core_forms
from core.codes import normalise_join_code

from . import selectors, services
from .models import Cohort, Invitation, Membership
from .signal_handlers import INVITATION_SESSION_KEY


class JoinForm(core_forms.JoinForm):
    code_help_text = gettext_lazy(
        "10 letters and numbers, from your programme lead. For example, K7MP 3QXR 9A."
    )


def cohort_by_code(code: str) -> Cohort | None:
    normalised = normalise_join_code(code)
    if not normalised:
        return None
    return Cohort.objects.filter(join_code=normalised).first()


@method_decorator(never_cache, name="dispatch")
class JoinView(LoginRequiredMixin, View):
    """`/cohorts/join/` asks for a code; `/cohorts/join/<code>/` (the shared link) shows
    which cohort it is for. Either way, joining is a POST of the code."""

    template_name = "cohorts/join.html"

    def render(self, request, form, cohort=None, *, already_member=False):
        return TemplateResponse(
            request,
            self.template_name,
            {"form": form, "cohort": cohort, "already_member": already_member},
        )

    def get(self, request, code: str | None = None):
        if code is None:
            return self.render(request, JoinForm())
        cohort = cohort_by_code(code)
        if cohort is None:
            # Said the same way for any code that is not a cohort's: nothing to learn.
            form = JoinForm(data={"code": code[:32]})
            if form.is_valid():
                form.add_error("code", _("That join code is not right. Check it and try again."))
            return self.render(request, form)
        already_member = Membership.objects.filter(cohort=cohort, learner=request.user).exists()
        return self.render(
            request, JoinForm(initial={"code": code}), cohort, already_member=already_member
        )

    def post(self, request, code: str | None = None):
        form = JoinForm(data=request.POST)
        if form.is_valid():
            try:
                cohort = services.cohort_join(learner=request.user, code=form.cleaned_data["code"])
            except services.JoinRefused as error:
                form.add_error("code", str(error))
            else:
                messages.success(
                    request,
                    _("You are a member of the cohort %(name)s. Its modules are in My learning.")
                    % {"name": cohort.name},
                )
                return redirect("modules:my_learning")
        return self.render(request, form)


@method_decorator(never_cache, name="dispatch")
class InvitationView(View):
    """The link in an invitation email.

    GET only shows the invitation (which cohort, from whom) with Accept and Decline
    buttons; it writes nothing to the database. A POST answers it through the services,
    which accept it only from a signed-in user whose verified address it was sent to.
    A visitor who is not signed in has the invitation remembered in their session and is
    sent to sign-up (or sign-in, if the invited address already has an account); once they
    have confirmed their address or signed in, the cohorts signal handlers accept that
    invitation if it was sent to them.
    """

    template_name = "cohorts/invitation.html"
    invalid_template_name = "cohorts/invitation_invalid.html"
    REFUSAL_STATUS = {
        services.InvitationNotFound: 404,
        services.InvitationForAnotherAddress: 403,
        services.InvitationUsed: 410,
        services.InvitationExpired: 410,
    }

    def invalid(self, request, error: services.InvitationRefused):
        return TemplateResponse(
            request,
            self.invalid_template_name,
            {
                "message": str(error),
                "another_address": isinstance(error, services.InvitationForAnotherAddress),
            },
            status=self.REFUSAL_STATUS.get(type(error), 400),
        )

    def get(self, request, token: str):
        invitation = selectors.invitation_by_token(token)
        if invitation is None:
            return self.invalid(
                request,
                services.InvitationNotFound(
                    _("That invitation link is not right, or has been withdrawn.")
                ),
            )
        if not request.user.is_authenticated:
            if invitation.status() == Invitation.Status.NOT_ACCEPTED:
                return self.invalid(
                    request,
                    services.InvitationExpired(
                        _(
                            "That invitation can no longer be used. Ask your programme lead "
                            "to invite you again."
                        )
                    ),
                )
            request.session[INVITATION_SESSION_KEY] = invitation.token
            if (
                invitation.accepted_at is not None
                or User.objects.filter(email__iexact=invitation.email).exists()
            ):
                return redirect_to_login(request.get_full_path())
            return redirect(
                reverse("account_signup") + "?" + urlencode({"email": invitation.email})
            )
        try:
            services.invitation_check(invitation, learner=request.user)
        except services.InvitationRefused as error:
            return self.invalid(request, error)
        return TemplateResponse(
            request,
            self.template_name,
            {
                "invitation": invitation,
                "cohort": invitation.cohort,
                "lead": invitation.invited_by,
                "accepted": invitation.accepted_by_id == request.user.pk,
            },
        )

    def post(self, request, token: str):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                cohort = services.invitation_accept(token=token, learner=request.user)
            elif answer == "decline":
                invitation = services.invitation_decline(token=token, learner=request.user)
            else:
                return self.get(request, token)
        except services.InvitationRefused as error:
            return self.invalid(request, error)
        request.session.pop(INVITATION_SESSION_KEY, None)
        if answer == "accept":
            messages.success(
                request,
                _("You are a member of the cohort %(name)s. Its modules are in My learning.")
                % {"name": cohort.name},
            )
        else:
            messages.info(
                request,
                _("You declined the invitation to join %(name)s.")
                % {"name": invitation.cohort.name},
            )
        return redirect("modules:my_learning")
