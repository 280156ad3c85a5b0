"""Checking a staff sign-in: slow the address that guesses, never the account, and tell admins.

A lock on the account would let anyone who knows a username keep its owner out, so guesses are
throttled per client address only, with the throttle that guards report passphrases: five free
failures a day, then waits of 30 s that double up to an hour. An account that is being guessed
at from anywhere is reported to admins (an audit event, a banner on their pages and a log line)
instead of being locked; the password and the authenticator code still both have to be right.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django_otp import match_token

from dontpay.cases.reports import client_fingerprint
from dontpay.cases.throttle import Throttle

from .models import AuditEvent, SignInAttempt

log = logging.getLogger(__name__)

SIGN_IN_GUESSES = Throttle(
    SignInAttempt,
    "username",
    per_target=None,
    per_client=5,
    window=timedelta(days=1),
    first_delay=timedelta(seconds=30),
)
#: The period those failures are counted over, and the least time between two alerts.
ALERT_WINDOW = timedelta(hours=1)
#: The audit action of an alert.
GUESSED_AT = "staff.sign-in-guessed"


@dataclass(frozen=True)
class SignedIn:
    """A staff member whose password and current code were both right, and the device."""

    user: Any
    device: Any


def check_sign_in(request: HttpRequest, username: str, password: str, code: str) -> SignedIn | None:
    """The staff member if `password` and `code` are right for `username`, or None.

    Raises `TooManyAttempts` (before anything is checked) while this client must wait; a
    failure from elsewhere never stops the owner.
    """
    client = client_fingerprint(request.META.get("REMOTE_ADDR", ""))
    attempt = SIGN_IN_GUESSES.count(username, client)
    user = authenticate(request, username=username, password=password)
    device = match_token(user, code) if user is not None else None
    if user is None or device is None:
        alert_if_guessed_at(request, username)
        return None
    attempt.delete()
    return SignedIn(user, device)


def alert_if_guessed_at(request: HttpRequest, username: str) -> None:
    """Tell admins once an hour about an account with `DONTPAY_SIGN_IN_ALERT_AFTER` failures
    in the last hour.

    Only names of real accounts are reported: a username as typed may be someone's password.
    """
    since = timezone.now() - ALERT_WINDOW
    failures = SignInAttempt.objects.filter(username=username, at__gte=since).aggregate(
        failures=Count("pk"), addresses=Count("client", distinct=True)
    )
    if failures["failures"] < settings.DONTPAY_SIGN_IN_ALERT_AFTER:
        return
    if not get_user_model()._default_manager.filter(username=username).exists():
        return
    if AuditEvent.objects.filter(action=GUESSED_AT, target=username, at__gte=since).exists():
        return
    AuditEvent.objects.create(
        actor="system",
        role="",
        action=GUESSED_AT,
        target=username,
        address=request.META.get("REMOTE_ADDR", ""),
        detail=failures,
    )
    log.warning(
        "staff account %s: %d failed sign-ins in the last hour from %d addresses",
        username,
        failures["failures"],
        failures["addresses"],
    )


def recent_alerts() -> list[AuditEvent]:
    """The latest alert of the last day for each account, newest first: what admins are shown
    on every page."""
    since = timezone.now() - timedelta(days=1)
    latest: dict[str, AuditEvent] = {}
    for alert in AuditEvent.objects.filter(action=GUESSED_AT, at__gte=since)[:200]:
        latest.setdefault(alert.target, alert)
    return list(latest.values())
