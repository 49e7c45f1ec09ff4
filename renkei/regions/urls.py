from django.urls import path

from renkei.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("prefectures/<str:code>/", views.prefecture, name="prefecture"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path("windows/", views.windows, name="windows"),
]
