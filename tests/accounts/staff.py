"""Signing staff in, as the real login form does it: password plus the current TOTP code."""

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dontpay.accounts.enrolment import create_staff

PASSWORD = "correct horse battery staple"


def current_code(username: str) -> str:
    device = TOTPDevice.objects.get(user__username=username)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


def signed_in(role: str, username: str | None = None) -> Client:
    """A client signed in as a new staff member with `role`."""
    username = username or f"{role}-1"
    create_staff(username, role, password=PASSWORD)
    client = Client()
    response = client.post(
        "/staff/login/",
        {"username": username, "password": PASSWORD, "code": current_code(username)},
    )
    assert response.status_code == 302, response.content[:2000]
    return client
