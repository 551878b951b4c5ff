"""Preferences and one-click unsubscribe."""

from django.urls import path

from . import views

urlpatterns = [
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
