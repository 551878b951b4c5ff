"""Placeholder views: replaced by the real ones in this change."""

from django.http import Http404
from django.views import View


class JoinView(View):
    def get(self, request, *args, **kwargs):
        raise Http404


class InvitationView(View):
    def get(self, request, *args, **kwargs):
        raise Http404
