"""Facilitator guides: printable worksheets."""

urlpatterns: list = []
