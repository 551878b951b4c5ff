"""Learner- and facilitator-facing set pages (`member_urls`) and the facilitator guides'
worksheets (`guide_urls`). The leads' set overview lives in the Wagtail admin
(`wagtail_hooks.py`)."""

from . import guide_urls, member_urls

app_name = "learning_sets"

urlpatterns = [*member_urls.urlpatterns, *guide_urls.urlpatterns]
