from django.urls import path

from renkei.councils import views
from renkei.councils.views import cases, councils, surveys

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("interviews/<slug:slug>/", views.interview, name="interview"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/responses/", views.finding_response_add, name="finding_response_add"),
    path(
        "findings/responses/<int:pk>/delete/",
        views.finding_response_remove,
        name="finding_response_remove",
    ),
    # councils
    path("councils/", councils.councils, name="councils"),
    path("councils/new/", councils.council_edit, name="council_new"),
    path("councils/<int:pk>/", councils.council, name="council"),
    path("councils/<int:pk>/edit/", councils.council_edit, name="council_edit"),
    path("councils/<int:pk>/members/", councils.member_add, name="member_add"),
    path("councils/members/<int:pk>/remove/", councils.member_remove, name="member_remove"),
    path("councils/<int:pk>/meetings/new/", councils.meeting_new, name="meeting_new"),
    path("councils/<int:pk>/actions/new/", councils.action_new, name="action_new"),
    path("meetings/<int:pk>/", councils.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", councils.meeting_minutes, name="meeting_minutes"),
    path("actions/<int:pk>/", councils.action_update, name="action_update"),
    # surveys
    path("surveys/", surveys.surveys, name="surveys"),
    path("surveys/new/", surveys.survey_edit, name="survey_new"),
    path("surveys/questions/<int:pk>/delete/", surveys.question_delete, name="question_delete"),
    path(
        "surveys/invitations/<int:pk>/reissue/",
        surveys.invitation_reissue,
        name="invitation_reissue",
    ),
    path("surveys/<slug:slug>/", surveys.survey, name="survey"),
    path("surveys/<slug:slug>/edit/", surveys.survey_edit, name="survey_edit"),
    path("surveys/<slug:slug>/questions/", surveys.question_add, name="question_add"),
    path("surveys/<slug:slug>/send/", surveys.survey_send, name="survey_send"),
    path("surveys/<slug:slug>/progress/", surveys.survey_progress, name="survey_progress"),
    path("surveys/<slug:slug>/remind/", surveys.survey_remind, name="survey_remind"),
    path("surveys/<slug:slug>/close/", surveys.survey_close, name="survey_close"),
    path("surveys/<slug:slug>/publish/", surveys.survey_publish, name="survey_publish"),
    path("surveys/<slug:slug>/links.csv", surveys.survey_links, name="survey_links"),
    path(
        "surveys/<slug:slug>/export.<str:fmt>",
        surveys.survey_export,
        name="survey_export",
    ),
    path("answer/<str:token>/", surveys.answer, name="answer"),
    # cases
    path("cases/", cases.cases, name="cases"),
    path("cases/<slug:slug>/", cases.case_study, name="case"),
]
