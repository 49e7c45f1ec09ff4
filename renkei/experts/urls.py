from django.urls import path

from renkei.experts import views

app_name = "experts"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/consultations/new/", views.consultation_new, name="consultation_new"),
    path("needs/<int:pk>/", views.need_experts, name="need"),
    path("needs/<int:pk>/assign/<int:expert_pk>/", views.assign, name="assign"),
    path("assignments/<int:pk>/end/", views.end, name="end"),
]
