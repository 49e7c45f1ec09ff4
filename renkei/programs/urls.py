from django.urls import path

from renkei.programs import views

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
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/follow/", views.follow, name="follow"),
    path("<slug:code>/unfollow/", views.unfollow, name="unfollow"),
]
