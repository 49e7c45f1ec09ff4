from django.urls import path

from renkei.programs import views
from renkei.programs.views import editions, uploads

app_name = "programs"
urlpatterns = [
    path("", views.navigator, name="list"),
    path("search/", views.search, name="search"),
    path("compare/", views.compare, name="compare"),
    path("budget/", views.budget, name="budget"),
    path("budget/overview/", views.budget_overview, name="budget_overview"),
    path("pathways/", views.pathway, name="pathways"),
    path("saved/", views.saved, name="saved"),
    path("saved/new/", views.save_search, name="save_search"),
    path("saved/<int:pk>/delete/", views.delete_search, name="delete_search"),
    # the secretariat: the fiscal-year rollover of the menu, and uploads of program lists
    path("editions/", editions.editions, name="editions"),
    path("editions/new/", editions.edition_new, name="edition_new"),
    path("editions/<int:fiscal_year>/", editions.edition, name="edition"),
    path("editions/<int:fiscal_year>/drafts/<int:pk>/", editions.draft, name="draft"),
    path("editions/<int:fiscal_year>/publish/", editions.edition_publish, name="edition_publish"),
    path("editions/<int:fiscal_year>/discard/", editions.edition_discard, name="edition_discard"),
    path("uploads/", uploads.uploads, name="uploads"),
    path("uploads/new/", uploads.upload_new, name="upload_new"),
    path("uploads/<int:pk>/", uploads.upload, name="upload"),
    path("uploads/<int:pk>/apply/", uploads.upload_apply, name="upload_apply"),
    path("uploads/<int:pk>/discard/", uploads.upload_discard, name="upload_discard"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/follow/", views.follow, name="follow"),
    path("<slug:code>/unfollow/", views.unfollow, name="unfollow"),
]
