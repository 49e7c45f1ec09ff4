from django.urls import path

from renkei.communities import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
    path("<slug:slug>/", views.detail, name="detail"),
]
