"""Taking a self-assessment: the list of instruments, an instrument's page, starting an
attempt and answering it one section (page) at a time.

Reads come from `taking.py`, writes go through `services.py`; learners reach only their own
responses (`Response.objects.of`), so another learner's response id is a 404.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from . import services, taking
from .forms import SectionAnswersForm, field_name

NEXT, PREVIOUS, LATER, SUBMIT = "next", "previous", "later", "submit"


def question_page_url(response_id: int, section: int) -> str:
    return reverse("assessments:question_page", kwargs={"pk": response_id, "section": section})


def result_url(response_id: int) -> str:
    return reverse("assessments:result", kwargs={"pk": response_id})


def sign_in_url(request) -> str:
    """The sign-in page, coming back to this page afterwards."""
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"


def unavailable(request, error: services.AssessmentError):
    """The instrument was withdrawn (or cannot be answered): say so on the list."""
    messages.error(request, str(error))
    return redirect("assessments:index")


class InstrumentListView(View):
    def get(self, request):
        return TemplateResponse(
            request,
            "assessments/instrument_list.html",
            {
                "listed": taking.instrument_list(request.user),
                "sign_in_url": sign_in_url(request),
            },
        )


@method_decorator(never_cache, name="dispatch")
class InstrumentView(View):
    def get(self, request, slug: str):
        return TemplateResponse(
            request,
            "assessments/instrument.html",
            {
                "page_data": taking.instrument_page(slug=slug, learner=request.user),
                "sign_in_url": sign_in_url(request),
                "min_group_size": settings.MIN_GROUP_SIZE,
            },
        )


class StartView(View):
    """Start (or carry on with) the learner's attempt at an individual instrument."""

    http_method_names = ["post"]

    def post(self, request, slug: str):
        instrument = taking.live_instrument(slug)
        if not request.user.is_authenticated:
            return redirect_to_login(instrument.get_absolute_url())
        if instrument.is_team:
            messages.info(
                request,
                _("This self-assessment is answered in a team. Create or join a team to start."),
            )
            return redirect(instrument.get_absolute_url())
        try:
            response = services.response_start(learner=request.user, instrument=instrument)
        except services.AssessmentError as error:
            return unavailable(request, error)
        section = taking.draft_resume_section(response=response, instrument=instrument)
        return redirect(question_page_url(response.pk, section))


@method_decorator(never_cache, name="dispatch")
class QuestionPageView(LoginRequiredMixin, View):
    """One section of the learner's attempt: every post saves the answers given here."""

    template_name = "assessments/question_page.html"

    def get(self, request, pk: int, section: int):
        response = taking.learner_response(learner=request.user, pk=pk)
        if response.is_submitted:
            return redirect(result_url(response.pk))
        if not response.instrument.live:
            messages.error(request, _("This self-assessment is not available at the moment."))
            return redirect("assessments:index")
        page = taking.question_page(response=response, section=section)
        form = SectionAnswersForm(
            questionnaire=page.questionnaire, section=page.section, saved=page.saved
        )
        return self.render(page, form)

    def post(self, request, pk: int, section: int):
        response = taking.learner_response(learner=request.user, pk=pk)
        if response.is_submitted:
            messages.info(request, _("You have already submitted these answers."))
            return redirect(result_url(response.pk))
        page = taking.question_page(response=response, section=section)
        form = SectionAnswersForm(
            request.POST, questionnaire=page.questionnaire, section=page.section, saved=page.saved
        )
        if not form.is_valid():
            return self.render(page, form)
        action = request.POST.get("action", NEXT)
        answers = form.answers()
        try:
            if action == SUBMIT and page.is_last:
                services.response_submit(response=response, answers=answers)
                messages.success(request, _("Your answers are submitted. Here are your results."))
                return redirect(result_url(response.pk))
            services.answers_save(response=response, answers=answers)
        except services.IncompleteAnswers as error:
            page.saved.update(answers)
            return self.render(page, form, missing=error.missing)
        except services.AlreadySubmitted:
            messages.info(request, _("You have already submitted these answers."))
            return redirect(result_url(response.pk))
        except services.InvalidAnswers as error:
            for key, message in error.errors.items():
                name = field_name(key)
                form.add_error(name if name in form.fields else None, message)
            return self.render(page, form)
        except services.InstrumentUnavailable as error:
            return unavailable(request, error)
        if action == PREVIOUS and not page.is_first:
            return redirect(question_page_url(response.pk, section - 1))
        if action == LATER:
            messages.success(
                request, _("Your answers are saved. You can carry on from here at any time.")
            )
            return redirect(response.instrument.get_absolute_url())
        if page.is_last:
            return redirect(question_page_url(response.pk, section))
        return redirect(question_page_url(response.pk, section + 1))

    def render(self, page, form, missing=()):
        """The page, with an error summary for bad answers or unanswered questions."""
        summary = []
        for error in form.non_field_errors():
            summary.append({"message": error, "href": ""})
        on_this_page = {question.key for question in page.section.questions}
        for question in page.questionnaire.questions:
            name = field_name(question.key)
            for error in form.errors.get(name, []) if form.is_bound else []:
                summary.append({"message": error, "href": f"#{name}"})
            if question.key in missing:
                message = _("Answer question %(number)s: %(text)s") % {
                    "number": question.number,
                    "text": question.text,
                }
                if question.key in on_this_page:
                    form.add_error(name, message)
                    href = f"#{name}"
                else:
                    section = page.questionnaire.section_of(question.key) or 1
                    href = f"{question_page_url(page.response.pk, section)}#{name}"
                summary.append({"message": message, "href": href})
        return TemplateResponse(
            self.request,
            self.template_name,
            {
                "page_data": page,
                "form": form,
                "rows": form.rows(),
                "error_items": summary,
                "actions": {"next": NEXT, "previous": PREVIOUS, "later": LATER, "submit": SUBMIT},
            },
        )
