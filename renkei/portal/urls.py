from django.urls import path

from renkei.portal import regional, views, views_jobs, views_mypage

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views.data, name="data"),
    path("mypage/", views_mypage.mypage, name="mypage"),
    path("jobs/", views_jobs.jobs_page, name="jobs"),
    path("jobs/<str:task_id>/retry/", views_jobs.retry, name="job_retry"),
    path("healthz", views.healthz, name="healthz"),
    # hubs of a prefecture and a designated city, and "Where do I ask?" (regional.py)
    path("regions/prefectures/<str:code>/", regional.prefecture, name="prefecture"),
    path("regions/cities/<str:lg_code>/", regional.city, name="city"),
    path("regions/windows/ask/", regional.ask, name="ask"),
]
