"""Set pages for members and facilitators, and each set's private calendar feed."""

from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import views

urlpatterns = [
    path("", views.MySetsView.as_view(), name="my_sets"),
    path("feed/<str:token>.ics", views.FeedView.as_view(), name="feed"),
    path("<id:pk>/", views.SetPageView.as_view(), name="set"),
    path("<id:pk>/ground-rules/", views.GroundRulesView.as_view(), name="ground_rules"),
    path("<id:pk>/challenge/", views.ChallengeView.as_view(), name="challenge"),
    path("<id:pk>/leave/", views.LeaveView.as_view(), name="leave"),
    path(
        "<id:pk>/commitments/new/",
        views.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path(
        "<id:pk>/commitments/from-lessons/",
        views.ShareFromLessonsView.as_view(),
        name="commitments_from_lessons",
    ),
    path(
        "<id:pk>/commitments/<id:commitment_id>/withdraw/",
        views.CommitmentWithdrawView.as_view(),
        name="commitment_withdraw",
    ),
    path(
        "<id:pk>/commitments/<id:commitment_id>/meetings/<id:meeting_id>/check-in/",
        views.CheckInView.as_view(),
        name="check_in",
    ),
    path("<id:pk>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path(
        "<id:pk>/meetings/<id:meeting_id>/edit/",
        views.MeetingEditView.as_view(),
        name="meeting_edit",
    ),
    path(
        "<id:pk>/meetings/<id:meeting_id>/cancel/",
        views.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "<id:pk>/meetings/<id:meeting_id>/attendance/",
        views.AttendanceView.as_view(),
        name="attendance",
    ),
    path(
        "<id:pk>/meetings/<id:meeting_id>.ics",
        views.MeetingIcsView.as_view(),
        name="meeting_ics",
    ),
    path("<id:pk>/calendar/reset/", views.FeedResetView.as_view(), name="feed_reset"),
]
