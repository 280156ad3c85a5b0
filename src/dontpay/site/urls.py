"""Top-level URLs. Victim-facing URLs use neutral words, so browser history gives little away."""

from django.urls import include, path

from .health import healthz, readyz
from .metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("", include("dontpay.help.urls")),
    path("staff/", include("dontpay.accounts.urls")),
    path("staff/", include("dontpay.cases.urls")),
    path("staff/intel/", include("dontpay.intel.urls")),
    path("staff/bank/", include("dontpay.bank.staff_urls")),
    path("", include("dontpay.bank.urls")),
]

handler400 = "dontpay.site.errors.bad_request"
handler403 = "dontpay.site.errors.permission_denied"
handler404 = "dontpay.site.errors.page_not_found"
handler500 = "dontpay.site.errors.server_error"
