"""Top-level URLs. Victim-facing URLs use neutral words, so browser history gives little away."""

from django.urls import include, path

urlpatterns = [
    path("", include("dontpay.help.urls")),
    path("staff/", include("dontpay.accounts.urls")),
    path("staff/", include("dontpay.cases.urls")),
    path("staff/intel/", include("dontpay.intel.urls")),
    path("", include("dontpay.bank.urls")),
]
