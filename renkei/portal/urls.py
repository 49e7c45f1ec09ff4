from django.urls import path

from renkei.portal import regional, views, views_data, views_jobs, views_mypage

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("data/", views_data.data, name="data"),
    path("data/catalog.json", views_data.catalog, name="catalog"),
    path("data/<slug:slug>/", views_data.dataset_page, name="dataset"),
    path("data/<slug:slug>.<str:fmt>", views_data.download, name="download"),
    path("mypage/", views_mypage.mypage, name="mypage"),
    path("jobs/", views_jobs.jobs_page, name="jobs"),
    path("jobs/<str:task_id>/retry/", views_jobs.retry, name="job_retry"),
    path("healthz", views.healthz, name="healthz"),
    # hubs of a prefecture and a designated city, and "Where do I ask?" (regional.py)
    path("regions/prefectures/<str:code>/", regional.prefecture, name="prefecture"),
    path("regions/cities/<str:lg_code>/", regional.city, name="city"),
    path("regions/windows/ask/", regional.ask, name="ask"),
]
