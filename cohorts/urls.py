"""Learner-facing cohort pages: joining by link and accepting an invitation."""

from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/<str:code>/", views.JoinView.as_view(), name="join_code"),
    path("invitations/<str:token>/", views.InvitationView.as_view(), name="invitation"),
]
