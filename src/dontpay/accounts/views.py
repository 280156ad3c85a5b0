"""Staff sign-in, sign-out and enrolment, and the audit trail for administrators."""

import csv
import json

import segno
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .access import requires
from .audit import audit
from .enrolment import enrolment_for
from .forms import EnrolmentForm, StaffLoginForm
from .models import AuditEvent
from .roles import HOME


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    form = StaffLoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
        otp_login(request, form.device)
        request.session["staff_seen"] = timezone.now().timestamp()
        target = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(target, {request.get_host()})
        home = HOME.get(getattr(getattr(form.user, "staff", None), "role", ""), "/staff/")
        return redirect(target if safe and target.startswith("/staff/") else home)
    status = 429 if form.too_many else 400 if form.errors else 200
    return render(request, "accounts/login.html", {"form": form}, status=status)


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("/staff/login/")


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """Set a password and pair an authenticator app, with a link that works once."""
    enrolment = enrolment_for(token)
    if enrolment is None:
        return render(request, "accounts/enrol_expired.html", status=404)
    device = TOTPDevice.objects.filter(user=enrolment.user).first()
    form = EnrolmentForm(device, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = enrolment.user
        user.set_password(form.cleaned_data["password"])
        user.save()
        device.confirmed = True
        device.save()
        enrolment.used_at = timezone.now()
        enrolment.save()
        return redirect("/staff/login/")
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#0b0c0c")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr": qr,
            "secret": device.config_url.split("secret=")[1].split("&")[0],
            "username": enrolment.user.get_username(),
        },
        status=400 if form.errors else 200,
    )


@requires("audit.view")
def audit_trail(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The latest audit events; `?format=csv` downloads all of them (and is itself audited)."""
    if request.GET.get("format") == "csv":
        audit(request, "audit.exported", "audit trail")
        return _audit_csv()
    return render(request, "accounts/audit.html", {"events": AuditEvent.objects.all()[:500]})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv() -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    rows = (
        writer.writerow(
            [e.at.isoformat(), e.actor, e.role, e.action, e.target, e.address, json.dumps(e.detail)]
        )
        for e in AuditEvent.objects.order_by("at", "id").iterator()
    )
    header = writer.writerow(["at", "actor", "role", "action", "target", "address", "detail"])
    response = StreamingHttpResponse(
        (line for part in ([header], rows) for line in part), content_type="text/csv"
    )
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
