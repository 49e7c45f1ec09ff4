from django.urls import path

from renkei.communities import views, views_rounds

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
    path("rounds/", views_rounds.rounds, name="rounds"),
    path("rounds/new/", views_rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", views_rounds.round_detail, name="round"),
    path("rounds/<int:pk>/results/", views_rounds.round_results, name="results"),
    path("rounds/<int:pk>/publish/", views_rounds.round_publish, name="round_publish"),
    path("rounds/<int:pk>/apply/", views_rounds.application_start, name="application_start"),
    path("applications/<int:pk>/", views_rounds.application_detail, name="application"),
    path(
        "applications/<int:pk>/answers/",
        views_rounds.application_answers,
        name="application_answers",
    ),
    path(
        "applications/<int:pk>/attachments/",
        views_rounds.application_attach,
        name="application_attach",
    ),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        views_rounds.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/submit/", views_rounds.application_submit, name="application_submit"
    ),
    path(
        "applications/<int:pk>/withdraw/",
        views_rounds.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/assign/", views_rounds.application_assign, name="application_assign"
    ),
    path(
        "applications/<int:pk>/decide/", views_rounds.application_decide, name="application_decide"
    ),
    path("reviews/", views_rounds.reviews, name="reviews"),
    path(
        "reviews/<int:pk>/conflict/", views_rounds.assignment_conflict, name="assignment_conflict"
    ),
    path("reviews/<int:pk>/submit/", views_rounds.assignment_review, name="assignment_review"),
    path("<slug:slug>/", views.detail, name="detail"),
]
