from django.urls import path

from renkei.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data, name="data"),
    path("healthz", views.healthz, name="healthz"),
]
