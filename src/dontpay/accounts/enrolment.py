"""Creating staff accounts and their one-time enrolment links."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Enrolment, StaffProfile
from .roles import ROLES

ENROLMENT_LIFETIME = timedelta(hours=24)


class StaffError(ValueError):
    """A staff account cannot be made as asked."""


@dataclass(frozen=True)
class NewStaff:
    user: User
    enrolment_token: str


def create_staff(username: str, role: str, password: str | None = None) -> NewStaff:
    """A staff account with an unconfirmed authenticator and a one-time enrolment token."""
    if role not in dict(ROLES):
        raise StaffError(f"--role: {role!r} is not a role; allowed: {', '.join(dict(ROLES))}")
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise StaffError(f"username: {username!r} is already taken")
    with transaction.atomic():
        user = users.objects.create_user(username=username, password=password)
        StaffProfile.objects.create(user=user, role=role)
        TOTPDevice.objects.create(user=user, name="authenticator", confirmed=password is not None)
        token = new_enrolment(user)
    return NewStaff(user, token)


def new_enrolment(user: User) -> str:
    """A fresh one-time token for `user`; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    Enrolment.objects.create(
        user=user,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() + ENROLMENT_LIFETIME,
    )
    return token


def enrolment_for(token: str) -> Enrolment | None:
    """The unused, unexpired enrolment this token opens, if any."""
    return Enrolment.objects.filter(
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
