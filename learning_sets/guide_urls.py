"""Facilitator guides: printable worksheets. (The guides themselves are Wagtail pages.)"""

from django.urls import path

from . import guide_views

urlpatterns = [
    path("worksheets/<slug:key>.pdf", guide_views.worksheet, name="worksheet"),
]
