"""Preferences and one-click unsubscribe."""

urlpatterns: list = []
