"""The personal calendar feed and calendar files."""

from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import calendar_views

urlpatterns = [
    path("calendar/", calendar_views.CalendarPageView.as_view(), name="calendar"),
    path("calendar/feed/", calendar_views.FeedOpenView.as_view(), name="calendar_feed_open"),
    path("calendar/reset/", calendar_views.FeedResetView.as_view(), name="calendar_feed_reset"),
    path(
        "calendar/commitments/<id:pk>.ics",
        calendar_views.CommitmentIcsView.as_view(),
        name="commitment_ics",
    ),
    path(
        "calendar/cohorts/<id:pk>.ics",
        calendar_views.CohortIcsView.as_view(),
        name="cohort_ics",
    ),
    path("calendar/<str:token>.ics", calendar_views.FeedView.as_view(), name="calendar_feed"),
]
