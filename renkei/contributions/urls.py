from django.urls import path

from renkei.contributions import views

app_name = "contributions"
urlpatterns = [
    path("", views.index, name="index"),
    path("researchers/new/", views.new, name="new"),
    path("researchers/<int:pk>/", views.record, name="record"),
    path("researchers/<int:pk>/print/", views.printable, name="print"),
    path("researchers/<int:pk>/record.csv", views.record_csv, name="csv"),
    path("researchers/<int:pk>/publish/", views.publish, name="publish"),
    path("researchers/<int:pk>/roles/", views.add_role, name="add_role"),
]
