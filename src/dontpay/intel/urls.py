"""URLs of the intel app, under /staff/intel/."""

from django.urls import URLPattern, URLResolver, path

from . import referral_views, views

app_name = "intel"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.cluster_list_page, name="clusters"),
    path("recluster/", views.recluster, name="recluster"),
    path("search/", views.search_page, name="search"),
    path("clusters/<int:cluster_id>/", views.cluster_page, name="cluster"),
    path("clusters/<int:cluster_id>/export.<str:kind>", views.cluster_export, name="export"),
    path("clusters/<int:cluster_id>/referral/", referral_views.cluster_referral, name="referral"),
    path(
        "clusters/<int:cluster_id>/referral/<int:pk>/",
        referral_views.prepared_referral_page,
        name="prepared_referral",
    ),
    path(
        "clusters/<int:cluster_id>/referral/<int:pk>/download/",
        referral_views.prepared_referral_download,
        name="prepared_referral_download",
    ),
    path("warninglist/", views.warninglist_page, name="warninglist"),
    path("warninglist/<int:pk>/remove/", views.warninglist_remove, name="warninglist_remove"),
]
