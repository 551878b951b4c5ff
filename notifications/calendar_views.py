"""Calendar pages and files for learners (`calendar_urls.py`).

- The calendar page: the personal feed's address, and the dates to download one by one.
- A dated action commitment, or a cohort's start and end, as an `.ics` file: for the
  commitment's owner, or a member of the cohort, only. Anyone else, and any id that is
  nobody's, gets "page not found", so a guessed id says nothing.
- The personal feed at a secret address, with no sign-in: calendars poll it.
- Two POSTs: one gives the person a feed address (creating their preferences row), the
  other replaces it, revoking the old one.

Signed-in pages ask for a confirmed email address, as the lesson pages do. Reads never write.
"""

import re

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from core.calendars import calendar_response, feed_response
from modules.lessons import learner_response

from . import calendar_services, calendars

# The shape of a feed secret (`models.new_calendar_token`); anything else is not looked up.
FEED_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _refused(request):
    return learner_response(
        request, confirm_message=_("Confirm your email address to use your calendar.")
    )


@method_decorator(never_cache, name="dispatch")
class LearnerView(View):
    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names or not hasattr(
            self, request.method.lower()
        ):
            return self.http_method_not_allowed(request, *args, **kwargs)
        refused = _refused(request)
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


class CalendarPageView(LearnerView):
    http_method_names = ["get"]

    def get(self, request):
        person = request.user
        return TemplateResponse(
            request,
            "notifications/calendar.html",
            {
                "commitments": list(
                    calendars.commitments_with_dates(person).order_by("due_on", "pk")
                ),
                "cohorts": list(calendars.dated_cohorts(person)),
            },
        )


def _back(request) -> str:
    """Where the feed box's forms came from (its `next` field), if it is one of ours."""
    target = request.POST.get("next", "")
    if "\x00" not in target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:calendar")


class FeedOpenView(LearnerView):
    """`POST`: give the person a feed address (idempotent)."""

    http_method_names = ["post"]

    def post(self, request):
        calendar_services.calendar_feed_open(person=request.user)
        messages.success(request, _("Your calendar feed address is ready."))
        return redirect(_back(request))


class FeedResetView(LearnerView):
    """`POST current=<the secret shown>`: replace the feed address; the old one stops
    working. A repeated press changes nothing (`calendar_token_reset`)."""

    http_method_names = ["post"]

    def post(self, request):
        current = request.POST.get("current", "")
        calendar_services.calendar_token_reset(person=request.user, current=current[:64])
        messages.success(
            request,
            _("Your calendar feed has a new address. The old address no longer works."),
        )
        return redirect(_back(request))


class CommitmentIcsView(LearnerView):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        commitment = calendars.commitment_of(request.user, pk)
        if commitment is None:
            raise Http404
        return calendar_response(
            calendars.commitment_ics(commitment, request.build_absolute_uri),
            filename=calendars.commitment_filename(commitment),
            private=True,
        )


class CohortIcsView(LearnerView):
    http_method_names = ["get"]

    def get(self, request, pk: int):
        cohort = calendars.cohort_of(request.user, pk)
        if cohort is None:
            raise Http404
        return calendar_response(
            calendars.cohort_ics(cohort, request.build_absolute_uri),
            filename=calendars.cohort_filename(cohort),
            private=True,
        )


class FeedView(View):
    """The personal feed: no sign-in, the secret in the address is the key. Calendars poll
    it, so it is never cached by anyone on the way."""

    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        if not FEED_TOKEN.fullmatch(token):
            raise Http404
        contents = calendars.feed_contents(token)
        if contents is None:
            raise Http404
        return feed_response(
            calendars.feed_ics(contents, request.build_absolute_uri), filename="my-learning.ics"
        )
