"""The personal calendar feed and calendar files."""

urlpatterns: list = []
