"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class HistoryView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ResultView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ResultPdfView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ResultShareView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
