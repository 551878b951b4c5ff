"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class InstrumentListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class QuestionPageView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class InstrumentView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class StartView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
