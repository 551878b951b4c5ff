"""Learner-facing notification pages: preferences and one-click unsubscribe
(`preference_urls`), and the personal calendar feed and calendar files (`calendar_urls`).
The leads' nudges live in the Wagtail admin (`wagtail_hooks.py`)."""

from . import calendar_urls, preference_urls

app_name = "notifications"

urlpatterns = [*preference_urls.urlpatterns, *calendar_urls.urlpatterns]
