"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class LearnerGridView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class LearnerGridResultsView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ExportListView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class ExportDownloadView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
