"""Team pages: create a team, join one by link or code, the team's own page, starting an
answer as a member, and the team's anonymous report.

A team and its report are for its members only: anyone else gets "page not found", so a
guessed id says nothing about whether the team exists.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from . import charts, services
from .models import Instrument
from .team_forms import JoinForm, TeamCreateForm
from .team_reports import own_status, team_by_code, team_of_member, team_progress, team_report


def member_team_or_404(request, pk: int):
    team = team_of_member(learner=request.user, team_id=pk)
    if team is None:
        raise Http404
    return team


def link_expiry(expires_at: datetime.datetime | None) -> str:
    """When a join link stops working, in words and UK time ("" if it never does)."""
    if expires_at is None:
        return ""
    local = timezone.localtime(expires_at)
    if local.time() == datetime.time.min:
        day = local.date() - datetime.timedelta(days=1)
        return _("until the end of %(date)s") % {"date": date_format(day, "j F Y")}
    return _("until %(time)s on %(date)s") % {
        "time": date_format(local, "g:ia"),
        "date": date_format(local, "j F Y"),
    }


@method_decorator(never_cache, name="dispatch")
class TeamCreateView(LoginRequiredMixin, View):
    template_name = "assessments/team_create.html"

    def instrument(self, slug: str) -> Instrument:
        return get_object_or_404(
            Instrument.objects.live().select_related("live_revision"),
            slug=slug,
            kind=Instrument.Kind.TEAM,
        )

    def render(self, request, instrument, form):
        return TemplateResponse(
            request, self.template_name, {"instrument": instrument, "form": form}
        )

    def get(self, request, slug: str):
        return self.render(request, self.instrument(slug), TeamCreateForm())

    def post(self, request, slug: str):
        instrument = self.instrument(slug)
        form = TeamCreateForm(data=request.POST)
        if form.is_valid():
            try:
                team = services.team_create(
                    learner=request.user,
                    instrument=instrument,
                    name=form.cleaned_data["name"],
                    expires_at=form.cleaned_data["expires_at"],
                    capacity=form.cleaned_data["capacity"],
                )
            except services.AssessmentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Your team %(name)s is ready. Share its join link with your colleagues.")
                    % {"name": team.name},
                )
                return redirect(team.get_absolute_url())
        return self.render(request, instrument, form)


@method_decorator(never_cache, name="dispatch")
class TeamView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        team = member_team_or_404(request, pk)
        join_link = request.build_absolute_uri(
            reverse("assessments:team_join_code", kwargs={"code": team.join_code})
        )
        progress = team_progress(team)
        return TemplateResponse(
            request,
            "assessments/team.html",
            {
                "team": team,
                "instrument": team.instrument,
                "join_link": join_link,
                "progress": progress,
                "link_expired": (
                    team.code_expires_at is not None and team.code_expires_at <= timezone.now()
                ),
                "link_expiry": link_expiry(team.code_expires_at),
                "places_left": (
                    max(0, team.capacity - progress.members) if team.capacity else None
                ),
                "own": own_status(learner=request.user, team=team),
            },
        )


class TeamStartView(LoginRequiredMixin, View):
    """Start (or continue) the member's answer for the team, then go to its questions."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        team = member_team_or_404(request, pk)
        try:
            response = services.response_start(
                learner=request.user, instrument=team.instrument, team=team
            )
        except services.AssessmentError as error:
            messages.error(request, str(error))
            return redirect(team.get_absolute_url())
        return redirect(response.get_absolute_url())


@method_decorator(never_cache, name="dispatch")
class TeamReportView(LoginRequiredMixin, View):
    def get(self, request, pk: int):
        team = member_team_or_404(request, pk)
        report = team_report(team)
        return TemplateResponse(
            request,
            "assessments/team_report.html",
            {
                "team": team,
                "instrument": team.instrument,
                "report": report,
                "min_group_size": settings.MIN_GROUP_SIZE,
                "bars": charts.bars(report.dimensions) if report.dimensions else [],
            },
        )


@method_decorator(never_cache, name="dispatch")
class TeamJoinView(LoginRequiredMixin, View):
    """`/teams/join/` asks for a code; `/teams/join/<code>/` (the shared link) shows which
    team it is for. Either way, joining is a POST of the code."""

    template_name = "assessments/team_join.html"

    def render(self, request, form, team=None, *, already_member=False):
        return TemplateResponse(
            request,
            self.template_name,
            {
                "form": form,
                "team": team,
                "already_member": already_member,
                "min_group_size": settings.MIN_GROUP_SIZE,
            },
        )

    def get(self, request, code: str | None = None):
        if code is None:
            return self.render(request, JoinForm())
        form = JoinForm(initial={"code": code})
        team = team_by_code(code)
        if team is None:
            # Said the same way for any code that is not a team's: nothing more to learn.
            form = JoinForm(data={"code": code})
            if form.is_valid():
                form.add_error("code", _("That join code is not right. Check it and try again."))
            return self.render(request, form)
        already_member = team.memberships.filter(learner=request.user).exists()
        return self.render(request, form, team, already_member=already_member)

    def post(self, request, code: str | None = None):
        form = JoinForm(data=request.POST)
        if form.is_valid():
            try:
                team = services.team_join(learner=request.user, code=form.cleaned_data["code"])
            except services.AssessmentError as error:
                form.add_error("code", str(error))
            else:
                messages.success(request, _("You are a member of %(name)s.") % {"name": team.name})
                return redirect(team.get_absolute_url())
        return self.render(request, form)
