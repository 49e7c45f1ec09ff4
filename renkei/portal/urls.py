from django.urls import path

from renkei.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data, name="data"),
    path("mypage/", views.mypage, name="mypage"),
    path("healthz", views.healthz, name="healthz"),
]
