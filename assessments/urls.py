from django.urls import path

from core import converters  # noqa: F401 - registers <id:...>

from . import result_views, team_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.InstrumentListView.as_view(), name="index"),
    path("results/", result_views.HistoryView.as_view(), name="history"),
    path("results/<id:pk>/", result_views.ResultView.as_view(), name="result"),
    path("results/<id:pk>.pdf", result_views.ResultPdfView.as_view(), name="result_pdf"),
    path("results/<id:pk>/sharing/", result_views.ResultShareView.as_view(), name="result_share"),
    path(
        "responses/<id:pk>/<id:section>/",
        views.QuestionPageView.as_view(),
        name="question_page",
    ),
    path("teams/join/", team_views.TeamJoinView.as_view(), name="team_join"),
    path("teams/join/<str:code>/", team_views.TeamJoinView.as_view(), name="team_join_code"),
    path("teams/<id:pk>/", team_views.TeamView.as_view(), name="team"),
    path("teams/<id:pk>/start/", team_views.TeamStartView.as_view(), name="team_start"),
    path("teams/<id:pk>/report/", team_views.TeamReportView.as_view(), name="team_report"),
    path("<slug:slug>/", views.InstrumentView.as_view(), name="instrument"),
    path("<slug:slug>/start/", views.StartView.as_view(), name="start"),
    path("<slug:slug>/teams/new/", team_views.TeamCreateView.as_view(), name="team_create"),
]
