from django.urls import path

from renkei.portal import views, views_jobs, views_mypage

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data, name="data"),
    path("mypage/", views_mypage.mypage, name="mypage"),
    path("jobs/", views_jobs.jobs_page, name="jobs"),
    path("jobs/<str:task_id>/retry/", views_jobs.retry, name="job_retry"),
    path("healthz", views.healthz, name="healthz"),
]
