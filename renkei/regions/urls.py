from django.urls import path

from renkei.regions import views

# A prefecture's and a designated city's hub pages gather every app's part, so they live in
# the portal shell (portal:prefecture, portal:city), as does "Where do I ask?" (portal:ask).
app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("organizations/", views.organizations, name="organizations"),
    path("organizations/<int:pk>/", views.organization, name="organization"),
    path("windows/", views.windows, name="windows"),
    path("windows/mine/", views.my_windows, name="my_windows"),
    path("windows/new/", views.window_edit, name="window_new"),
    path("windows/import/", views.window_import, name="window_import"),
    path("windows/template.csv", views.window_template, name="window_template"),
    path("windows/review/", views.windows_review, name="windows_review"),
    path("windows/<int:pk>/edit/", views.window_edit, name="window_edit"),
    path("windows/<int:pk>/confirm/", views.window_confirm, name="window_confirm"),
    path("windows/<int:pk>/verify/", views.window_verify, name="window_verify"),
    path("windows/<int:pk>/archive/", views.window_archive, name="window_archive"),
]
