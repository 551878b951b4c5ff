from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="accounts_profile"),
    path("delete/", views.AccountDeleteView.as_view(), name="accounts_delete"),
    path("delete/done/", views.AccountDeletedView.as_view(), name="accounts_deleted"),
]
