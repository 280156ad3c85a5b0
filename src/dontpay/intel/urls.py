"""URLs of the intel app, under /staff/intel/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "intel"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.cluster_list_page, name="clusters"),
    path("recluster/", views.recluster, name="recluster"),
    path("search/", views.search_page, name="search"),
    path("clusters/<int:cluster_id>/", views.cluster_page, name="cluster"),
    path("clusters/<int:cluster_id>/export.<str:kind>", views.cluster_export, name="export"),
    path("clusters/<int:cluster_id>/referral/", views.cluster_referral, name="referral"),
    path("warninglist/", views.warninglist_page, name="warninglist"),
    path("warninglist/<int:pk>/remove/", views.warninglist_remove, name="warninglist_remove"),
]
