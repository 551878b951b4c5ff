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


def lesson_refusal(request):
    """None if the visitor may open lessons; otherwise where to send them.

    Lessons are for signed-in learners with a confirmed email address.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
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
    return {
        "navigation": lesson_navigation(lesson),
        "body_items": items,
        "is_preview": is_preview,
    }


class LessonAnswerView(View):
    """Save a learner's answer to one interactive block (a plain HTML form post)."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int, block_id: str):
        if refusal := lesson_refusal(request):
            return refusal
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
            return TemplateResponse(
                request,
                lesson.get_template(request),
                lesson.get_context(request, bound_forms={block.id: form}),
            )
        module = lesson_module(lesson)
        interaction.save(form=form, learner=request.user, lesson=lesson, module=module, block=block)
        messages.success(request, interaction.saved_message)
        return redirect(f"{lesson.get_url(request)}#block-{block.id}")
