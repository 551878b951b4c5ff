from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="accounts_profile"),
    path("data/", views.DataExportView.as_view(), name="accounts_data"),
    path(
        "data/<id:pk>/download/",
        views.DataExportDownloadView.as_view(),
        name="accounts_data_download",
    ),
    path("delete/", views.AccountDeleteView.as_view(), name="accounts_delete"),
    path("delete/done/", views.AccountDeletedView.as_view(), name="accounts_deleted"),
]
