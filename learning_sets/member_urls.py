"""Set pages for members and facilitators."""

urlpatterns: list = []
