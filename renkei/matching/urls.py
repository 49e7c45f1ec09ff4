from django.urls import path

from renkei.matching import views

app_name = "matching"
urlpatterns = [
    path("", views.index, name="index"),
    path("privacy/", views.privacy, name="privacy"),
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/sent/", views.need_sent, name="need_sent"),
    path("needs/confirm/<str:token>/", views.need_confirm, name="need_confirm"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/take/", views.need_take, name="need_take"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("needs/<int:pk>/seeds/<int:seed_pk>/", views.match_record, name="match_record"),
    path("queue/", views.queue, name="queue"),
    path("seeds/", views.seeds, name="seeds"),
    path("seeds/mine/", views.my_seeds, name="my_seeds"),
    path("seeds/new/", views.seed_edit, name="seed_new"),
    path("seeds/import/", views.seed_import, name="seed_import"),
    path("seeds/template.csv", views.seed_template, name="seed_template"),
    path("seeds/<int:pk>/", views.seed_detail, name="seed"),
    path("seeds/<int:pk>/edit/", views.seed_edit, name="seed_edit"),
    path("seeds/<int:pk>/archive/", views.seed_archive, name="seed_archive"),
    path("partners/", views.partners, name="partners"),
]
