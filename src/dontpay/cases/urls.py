from django.urls import path

from . import staff_views, stats_views

app_name = "cases"
urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("cases/<str:reference>/", staff_views.case_page, name="case"),
    path("cases/<str:reference>/notes/", staff_views.add_note, name="note"),
    path("cases/<str:reference>/evidence/<int:pk>/", staff_views.evidence_file, name="evidence"),
    path("cases/<str:reference>/pack/", staff_views.case_pack, name="pack"),
    path("statistics/", stats_views.statistics_page, name="statistics"),
    path("statistics/export.<str:kind>", stats_views.statistics_export, name="statistics_export"),
]
