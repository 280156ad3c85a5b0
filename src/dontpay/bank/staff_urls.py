"""URLs of the bank's administration pages, under /staff/bank/."""

from django.urls import URLPattern, path

from . import staff_views

app_name = "bank"
urlpatterns: list[URLPattern] = [
    path("", staff_views.bank_page, name="entries"),
    path("entries/<int:entry_id>/release/", staff_views.release, name="release"),
]
