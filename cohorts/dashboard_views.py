"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class DashboardView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
