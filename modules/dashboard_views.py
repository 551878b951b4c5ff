"""My learning (the learner's home after signing in) and the time-on-page beacon."""

import re

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import services
from .dashboard import my_learning
from .lessons import beacon_refusal, lesson_for_post

# The most seconds one report may claim: more than this is not a browser's honest count.
# Anything between the per-visit cap and this is accepted and counted as the cap.
MAX_REPORTED_SECONDS = 24 * 60 * 60
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


@method_decorator(never_cache, name="dispatch")
class MyLearningView(LoginRequiredMixin, TemplateView):
    template_name = "modules/my_learning.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["learning"] = my_learning(self.request.user)
        return context


def _reported_seconds(value: str | None) -> int | None:
    if value is None or not _WHOLE_NUMBER.fullmatch(value):
        return None
    seconds = int(value)
    return seconds if 1 <= seconds <= MAX_REPORTED_SECONDS else None


class LessonTimeView(View):
    """`POST seconds=<n>`: time a learner spent looking at a lesson page, sent by
    `time-on-page.js` with `navigator.sendBeacon` when the page is hidden or left."""

    http_method_names = ["post"]

    def post(self, request, lesson_id: int):
        opened, refusal = lesson_for_post(request, lesson_id)
        if opened is None or refusal is not None:
            beacon_refusal(refusal)
        seconds = _reported_seconds(request.POST.get("seconds"))
        if seconds is None:
            return HttpResponseBadRequest(
                f"seconds must be a whole number from 1 to {MAX_REPORTED_SECONDS}.",
                content_type="text/plain",
            )
        services.lesson_time_record(
            learner=request.user, lesson=opened.lesson, module=opened.module, seconds=seconds
        )
        return HttpResponse(status=204)
