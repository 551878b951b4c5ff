from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import certificate_views, dashboard_views, journal_views, search_views, views

app_name = "modules"

urlpatterns = [
    path("", dashboard_views.MyLearningView.as_view(), name="my_learning"),
    path(
        "lessons/<id:lesson_id>/time/",
        dashboard_views.LessonTimeView.as_view(),
        name="lesson_time",
    ),
    path(
        "lessons/<id:lesson_id>/answer/<str:block_id>/",
        views.LessonAnswerView.as_view(),
        name="lesson_answer",
    ),
    path(
        "lessons/<id:lesson_id>/complete/",
        views.LessonCompleteView.as_view(),
        name="lesson_complete",
    ),
    path(
        "lessons/<id:lesson_id>/uncomplete/",
        views.LessonUncompleteView.as_view(),
        name="lesson_uncomplete",
    ),
    path("modules/<id:module_id>/start/", views.ModuleStartView.as_view(), name="module_start"),
    path(
        "modules/<id:module_id>/complete/",
        views.ModuleCompleteView.as_view(),
        name="module_complete",
    ),
    path("journal/", journal_views.JournalView.as_view(), name="journal"),
    path(
        "journal/download.<str:fmt>",
        journal_views.JournalDownloadView.as_view(),
        name="journal_download",
    ),
    path("search/", search_views.SearchView.as_view(), name="search"),
    path(
        "certificates/verify/",
        certificate_views.CertificateLookupView.as_view(),
        name="certificate_lookup",
    ),
    path(
        "certificates/verify/<str:code>/",
        certificate_views.CertificateVerifyView.as_view(),
        name="certificate_verify",
    ),
    path(
        "certificates/<str:code>.pdf",
        certificate_views.CertificateDownloadView.as_view(),
        name="certificate_download",
    ),
]
