from django.urls import path

from . import journal_views, search_views, views

app_name = "modules"

urlpatterns = [
    path(
        "lessons/<int:lesson_id>/answer/<str:block_id>/",
        views.LessonAnswerView.as_view(),
        name="lesson_answer",
    ),
    path("journal/", journal_views.JournalView.as_view(), name="journal"),
    path(
        "journal/download.<str:fmt>",
        journal_views.JournalDownloadView.as_view(),
        name="journal_download",
    ),
    path("search/", search_views.SearchView.as_view(), name="search"),
]
