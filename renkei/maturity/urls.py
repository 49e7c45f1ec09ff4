from django.urls import path

from renkei.maturity import views

app_name = "maturity"
urlpatterns = [
    path("", views.national, name="national"),
    path("national.csv", views.national_csv, name="national_csv"),
    path("indicators/", views.indicators, name="indicators"),
    path("data/values.csv", views.open_values_csv, name="values_csv"),
    path("communities/<slug:slug>/", views.dashboard, name="dashboard"),
    path("communities/<slug:slug>/data.csv", views.dashboard_csv, name="dashboard_csv"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/template.csv", views.report_template_csv, name="report_template"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/values/", views.report_values, name="report_values"),
    path("reports/<int:pk>/upload/", views.report_upload, name="report_upload"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path(
        "reports/<int:pk>/request-changes/",
        views.report_request_changes,
        name="report_request_changes",
    ),
]
