"""The lesson page for a learner, the posts that save answers and progress, and the
module-complete page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .interactions import INTERACTIONS
from .lessons import (
    OpenLesson,
    learner_refusal,
    lesson_for_post,
    module_refusal,
    refusal_response,
)
from .models import ModulePage
from .selectors import (
    completed_enrolment,
    learner_certificate,
    module_lessons,
    module_next,
)


def guarded_post(request, lesson_id: int) -> tuple[OpenLesson | None, HttpResponse | None]:
    """The lesson a post is about, if the lesson guard lets this request use it; otherwise
    the refusal (a 404, or a redirect to sign in or confirm the email address, then back
    to the lesson page)."""
    opened, refusal = lesson_for_post(request, lesson_id)
    if refusal is not None:
        next_url = opened.lesson.get_url(request) if opened is not None else None
        return None, refusal_response(request, refusal, next_url=next_url)
    return opened, None


class LessonAnswerView(View):
    """Save a learner's answer to one interactive block (a plain HTML form post)."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int, block_id: str):
        opened, refusal = guarded_post(request, lesson_id)
        if opened is None:
            return refusal
        lesson, module = opened.lesson, opened.module
        block = next((block for block in lesson.body if block.id == block_id), None)
        interaction = INTERACTIONS.get(block.block_type) if block is not None else None
        if interaction is None:
            raise Http404
        form = interaction.form_class(data=request.POST, block=block, prefix=block.id)
        if not form.is_valid():
            messages.error(
                request, _("Your answer was not saved. Anything you saved before is unchanged.")
            )
            return TemplateResponse(
                request,
                lesson.get_template(request),
                lesson.get_context(
                    request, bound_forms={block.id: form}, navigation=opened.navigation
                ),
            )
        interaction.save(form=form, learner=request.user, lesson=lesson, module=module, block=block)
        messages.success(request, interaction.saved_message)
        return redirect(f"{lesson.get_url(request)}#block-{block.id}")


class LessonCompleteView(View):
    """Mark a lesson complete, then go on: the next lesson, or the module's end."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int):
        opened, refusal = guarded_post(request, lesson_id)
        if opened is None:
            return refusal
        lesson, module = opened.lesson, opened.module
        enrolment = services.lesson_complete(learner=request.user, lesson=lesson, module=module)
        navigation = opened.navigation
        if navigation.next is not None:
            return redirect(navigation.next.get_url(request))
        if enrolment.is_complete:
            return redirect("modules:module_complete", module_id=module.pk)
        messages.info(request, _("You have lessons left to complete in this module."))
        return redirect(module.get_url(request))


class LessonUncompleteView(View):
    """Undo a lesson's completion and go back to the lesson."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int):
        opened, refusal = guarded_post(request, lesson_id)
        if opened is None:
            return refusal
        lesson, module = opened.lesson, opened.module
        services.lesson_uncomplete(learner=request.user, lesson=lesson, module=module)
        messages.success(request, _("This lesson is no longer marked as complete."))
        return redirect(lesson.get_url(request))


class ModuleStartView(View):
    """Start a module and open its first lesson."""

    http_method_names = ["post"]

    def post(self, request, module_id: int):
        module = ModulePage.objects.filter(pk=module_id).first()
        if refusal := module_refusal(request, module):
            next_url = module.get_url(request) if module is not None else None
            return refusal_response(request, refusal, next_url=next_url)
        services.enrolment_start(learner=request.user, module=module)
        lessons = module_lessons(module)
        return redirect((lessons[0] if lessons else module).get_url(request))


class ModuleCompleteView(View):
    """Congratulations, for a learner who has completed the module; 404 for anyone else."""

    http_method_names = ["get"]

    def get(self, request, module_id: int):
        if refusal := learner_refusal(request.user):
            return refusal_response(request, refusal)
        enrolment = completed_enrolment(learner=request.user, module_id=module_id)
        if enrolment is None:
            raise Http404
        return TemplateResponse(
            request,
            "modules/module_complete.html",
            {
                "enrolment": enrolment,
                "module": enrolment.module,
                "next_module": module_next(enrolment.module),
                "certificate": learner_certificate(learner=request.user, module=enrolment.module),
                "my_learning_url": reverse("modules:my_learning"),
            },
        )
