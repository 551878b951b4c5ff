"""The lesson page for a learner, the posts that save answers and progress, and the
module-complete page."""

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from . import services
from .interactions import INTERACTIONS
from .models import LessonCompletion, LessonPage, ModulePage
from .selectors import (
    completed_enrolment,
    learner_certificate,
    lesson_answers,
    lesson_module,
    lesson_navigation,
    module_lessons,
    module_next,
)


@dataclass
class BodyItem:
    """One block of a lesson body, with its form and saved answer if it is interactive."""

    block: Any
    form: Any = None
    saved: Any = None

    @property
    def anchor(self) -> str:
        return f"block-{self.block.id}"


def lesson_refusal(request, next_url: str | None = None):
    """None if the visitor may open lessons; otherwise where to send them.

    Lessons are for signed-in learners with a confirmed email address. `next_url` is where
    signing in returns to (a page to GET, for refusals of a post); the request's own path
    by default.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(next_url or request.get_full_path())
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        messages.info(request, _("Confirm your email address to open lessons."))
        return redirect("account_email")
    return None


def lesson_context(request, lesson: LessonPage, bound_forms: dict | None = None) -> dict:
    """The lesson's place in its module and its body, with the learner's saved answers."""
    bound_forms = bound_forms or {}
    is_preview = getattr(request, "is_preview", False)
    answers = lesson_answers(learner=request.user, lesson=lesson)
    items = []
    for block in lesson.body:
        interaction = INTERACTIONS.get(block.block_type)
        if interaction is None:
            items.append(BodyItem(block))
            continue
        form = bound_forms.get(block.id) or interaction.form_class(
            block=block, prefix=block.id, initial=interaction.initial(block, answers)
        )
        items.append(BodyItem(block, form=form, saved=interaction.saved(block, answers)))
    navigation = lesson_navigation(lesson)
    completion = None
    learner = request.user
    if not is_preview and learner.is_authenticated and navigation.module is not None:
        if request.method == "GET":
            services.lesson_visit(learner=learner, lesson=lesson, module=navigation.module)
        completion = LessonCompletion.objects.filter(learner=learner, lesson=lesson).first()
    return {
        "navigation": navigation,
        "body_items": items,
        "is_preview": is_preview,
        "completion": completion,
    }


class LessonAnswerView(View):
    """Save a learner's answer to one interactive block (a plain HTML form post)."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int, block_id: str):
        lesson, module = accessible_lesson(lesson_id)
        if refusal := lesson_refusal(request, next_url=lesson.get_url(request)):
            return refusal
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
                lesson.get_context(request, bound_forms={block.id: form}),
            )
        interaction.save(form=form, learner=request.user, lesson=lesson, module=module, block=block)
        messages.success(request, interaction.saved_message)
        return redirect(f"{lesson.get_url(request)}#block-{block.id}")


def accessible_lesson(lesson_id: int) -> tuple[LessonPage, ModulePage]:
    """A live, public lesson in a live module, with its module; otherwise 404.

    The one check of which lessons may be answered, completed or uncompleted: every post
    about a lesson goes through it before anything else."""
    lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
    module = lesson_module(lesson) if lesson is not None else None
    if module is None or not module.live:
        raise Http404
    return lesson, module


class LessonCompleteView(View):
    """Mark a lesson complete, then go on: the next lesson, or the module's end."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int):
        lesson, module = accessible_lesson(lesson_id)
        if refusal := lesson_refusal(request, next_url=lesson.get_url(request)):
            return refusal
        enrolment = services.lesson_complete(learner=request.user, lesson=lesson, module=module)
        navigation = lesson_navigation(lesson)
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
        lesson, module = accessible_lesson(lesson_id)
        if refusal := lesson_refusal(request, next_url=lesson.get_url(request)):
            return refusal
        services.lesson_uncomplete(learner=request.user, lesson=lesson, module=module)
        messages.success(request, _("This lesson is no longer marked as complete."))
        return redirect(lesson.get_url(request))


class ModuleStartView(View):
    """Start a module and open its first lesson."""

    http_method_names = ["post"]

    def post(self, request, module_id: int):
        module = ModulePage.objects.live().public().filter(pk=module_id).first()
        if module is None:
            raise Http404
        if refusal := lesson_refusal(request, next_url=module.get_url(request)):
            return refusal
        services.enrolment_start(learner=request.user, module=module)
        lessons = module_lessons(module)
        return redirect((lessons[0] if lessons else module).get_url(request))


class ModuleCompleteView(View):
    """Congratulations, for a learner who has completed the module; 404 for anyone else."""

    http_method_names = ["get"]

    def get(self, request, module_id: int):
        if refusal := lesson_refusal(request):
            return refusal
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
