from django.urls import path

from renkei.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("budget/", views.budget, name="budget"),
    path("<slug:code>/", views.detail, name="detail"),
]
