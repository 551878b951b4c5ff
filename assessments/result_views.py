"""What a learner sees after submitting: a result, its PDF, sharing it, and their history.

Every view reads through `selectors`, which starts from `Response.objects.of(user)`, so
another learner's response id gives 404 and a learner never sees anyone else's result.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import pdf, selectors, services


class ShareForm(forms.Form):
    shared = forms.BooleanField(
        required=False,
        label=gettext_lazy("Share this result with the leads of my cohorts"),
        help_text=gettext_lazy(
            "They would see your name, the date you submitted it, and your score and band "
            "for each part. They would not see your answers to the questions. You can stop "
            "sharing at any time."
        ),
    )


def _own_result(request, pk: int):
    """The signed-in learner's own submitted response, or 404."""
    response = selectors.submitted_result(request.user, pk)
    if response is None:
        raise Http404
    return response


@method_decorator(never_cache, name="dispatch")
class ResultView(LoginRequiredMixin, TemplateView):
    template_name = "assessments/result.html"

    def get(self, request, *args, **kwargs):
        response = selectors.submitted_result(request.user, kwargs["pk"])
        if response is None:
            draft = selectors.draft_of(request.user, kwargs["pk"])
            if draft is None:
                raise Http404
            return redirect(draft.get_absolute_url())
        self.response = response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        detail = selectors.result_detail(self.request.user, self.response)
        context["detail"] = detail
        context["share_form"] = ShareForm(
            initial={"shared": self.response.shared_with_leads}, auto_id="share-%s"
        )
        return context


@method_decorator(never_cache, name="dispatch")
class ResultPdfView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        detail = selectors.result_detail(request.user, _own_result(request, pk))
        user = request.user
        content = pdf.render_pdf(detail, learner_name=user.get_full_name() or user.email)
        reply = HttpResponse(content, content_type="application/pdf")
        reply["Content-Disposition"] = f'attachment; filename="{pdf.download_filename(detail)}"'
        return reply


class ResultShareView(LoginRequiredMixin, View):
    """`POST shared=on` shares the result with the learner's cohort leads; without it, stops."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        response = _own_result(request, pk)
        form = ShareForm(request.POST)
        shared = form.is_valid() and form.cleaned_data["shared"]
        try:
            services.response_share(learner=request.user, response=response, shared=shared)
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("This result is now shared with the leads of your cohorts.")
                if shared
                else _("This result is not shared with anyone."),
            )
        return redirect(f"{response.get_absolute_url()}#sharing")


@method_decorator(never_cache, name="dispatch")
class HistoryView(LoginRequiredMixin, TemplateView):
    template_name = "assessments/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = selectors.history(self.request.user)
        return context
