"""The site's URLs plus pages that fail on purpose, to see the error pages people would see."""

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from dontpay.site import urls as site


def fails(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def refuses(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a malformed request")


urlpatterns = [
    path("failing/", fails),
    path("staff/failing/", fails),
    path("malformed/", refuses),
    path("staff/malformed/", refuses),
    *site.urlpatterns,
]
handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
