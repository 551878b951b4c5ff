"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class TeamJoinView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class TeamView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class TeamStartView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class TeamReportView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class TeamCreateView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
