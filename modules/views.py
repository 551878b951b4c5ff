"""The lesson page for a learner, and the posts that save answers to its blocks."""

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from .interactions import INTERACTIONS
from .models import LessonPage
from .selectors import lesson_answers, lesson_module, lesson_navigation


@dataclass
class BodyItem:
    """One block of a lesson body, with its form and saved answer if it is interactive."""

    block: Any
    form: Any = None
    saved: Any = None

    @property
    def anchor(self) -> str:
        return f"block-{self.block.id}"


def _learner_may_open_lessons(request) -> bool:
    user = request.user
    if not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def _refuse(request):
    if request.user.is_authenticated:
        messages.info(request, _("Confirm your email address to open lessons."))
        return redirect("account_email")
    return redirect_to_login(request.get_full_path())


def lesson_context(request, lesson: LessonPage, bound_forms: dict | None = None) -> dict:
    bound_forms = bound_forms or {}
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
    return {
        "page": lesson,
        "self": lesson,
        "request": request,
        "navigation": lesson_navigation(lesson),
        "body_items": items,
        "is_preview": getattr(request, "is_preview", False),
    }


def serve_lesson(request, lesson: LessonPage, *args, bound_forms=None, status=200, **kwargs):
    """Lessons are for signed-in learners with a confirmed email address."""
    if not _learner_may_open_lessons(request):
        return _refuse(request)
    return TemplateResponse(
        request,
        lesson.get_template(request),
        lesson_context(request, lesson, bound_forms),
        status=status,
    )


class LessonAnswerView(View):
    """Save a learner's answer to one interactive block (a plain HTML form post)."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int, block_id: str):
        if not _learner_may_open_lessons(request):
            return _refuse(request)
        lesson = LessonPage.objects.live().public().filter(pk=lesson_id).first()
        if lesson is None:
            raise Http404
        block = next((block for block in lesson.body if block.id == block_id), None)
        interaction = INTERACTIONS.get(block.block_type) if block is not None else None
        if interaction is None:
            raise Http404
        form = interaction.form_class(data=request.POST, block=block, prefix=block.id)
        if not form.is_valid():
            messages.error(
                request, _("Your answer was not saved. Anything you saved before is unchanged.")
            )
            return serve_lesson(request, lesson, bound_forms={block.id: form})
        module = lesson_module(lesson)
        interaction.save(form=form, learner=request.user, lesson=lesson, module=module, block=block)
        messages.success(request, interaction.saved_message)
        return redirect(f"{lesson.get_url(request)}#block-{block.id}")
