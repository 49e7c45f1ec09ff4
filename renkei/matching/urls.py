from django.urls import path

from renkei.matching import views, views_funnel, views_pipeline

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
    path("needs/status/<str:token>/", views_pipeline.status_page, name="need_status_page"),
    path("needs/<int:pk>/propose/<int:seed_pk>/", views_pipeline.propose, name="propose"),
    path("needs/<int:pk>/judge/<int:seed_pk>/", views_pipeline.judge, name="judge"),
    path("needs/<int:pk>/reassign/", views_pipeline.reassign, name="reassign"),
    path("proposals/<int:pk>/", views_pipeline.proposal_page, name="proposal"),
    path("proposals/<int:pk>/ask/", views_pipeline.ask, name="proposal_ask"),
    path("proposals/<int:pk>/answer/", views_pipeline.answer, name="proposal_answer_form"),
    path("proposals/<int:pk>/consent/", views_pipeline.consent, name="proposal_consent"),
    path("proposals/<int:pk>/meeting/", views_pipeline.meeting, name="proposal_meeting"),
    path(
        "proposals/<int:pk>/org-meeting/", views_pipeline.org_meeting, name="proposal_org_meeting"
    ),
    path("proposals/<int:pk>/outcome/", views_pipeline.outcome, name="proposal_outcome"),
    path("proposals/<int:pk>/withdraw/", views_pipeline.withdraw, name="proposal_withdraw"),
    path("proposals/answer/<str:token>/", views_pipeline.proposal_by_link, name="proposal_answer"),
    path("funnel/", views_funnel.funnel, name="funnel"),
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
