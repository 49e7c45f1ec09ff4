from django.urls import path

from renkei.councils import views

app_name = "councils"
urlpatterns = [
    path("", views.index, name="index"),
    path("interviews/<slug:slug>/", views.interview, name="interview"),
    path("surveys/<slug:slug>/", views.survey, name="survey"),
    path("cases/<slug:slug>/", views.case_study, name="case"),
]
