from django.urls import path

from renkei.regulatory import views

app_name = "regulatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("sent/", views.sent, name="sent"),
    path("status/<str:token>/", views.status, name="status"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("answer/<str:token>/", views.answer_by_link, name="answer"),
    path("qa/<int:pk>/", views.qa, name="qa"),
]
