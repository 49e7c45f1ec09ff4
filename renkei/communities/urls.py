from django.urls import path

from renkei.communities.views import applications, registry, reviews, rounds

app_name = "communities"
urlpatterns = [
    path("", registry.community_list, name="list"),
    path("rounds/", rounds.rounds, name="rounds"),
    path("rounds/new/", rounds.round_new, name="round_new"),
    path("rounds/<int:pk>/", rounds.round_detail, name="round"),
    path("rounds/<int:pk>/results/", rounds.round_results, name="results"),
    path("rounds/<int:pk>/publish/", rounds.round_publish, name="round_publish"),
    path("rounds/<int:pk>/close/", rounds.round_close, name="round_close"),
    path("rounds/<int:pk>/reviewers/", rounds.round_add_reviewer, name="round_add_reviewer"),
    path("rounds/<int:pk>/apply/", rounds.application_start, name="application_start"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        applications.attachment_download,
        name="attachment",
    ),
    path(
        "applications/<int:pk>/withdraw/",
        applications.application_withdraw,
        name="application_withdraw",
    ),
    path("reviews/", reviews.reviews, name="reviews"),
    path("<slug:slug>/", registry.detail, name="detail"),
]
