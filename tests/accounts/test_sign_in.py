"""Guessing at a staff sign-in slows the guessing address, never the account: the owner signs
in from elsewhere, and admins are told which account is being guessed at."""

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dontpay.accounts.enrolment import create_staff
from dontpay.accounts.models import AuditEvent, SignInAttempt
from dontpay.accounts.sign_in import GUESSED_AT

from .staff import PASSWORD, current_code, signed_in

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"


def sign_in(client: Client, username: str, password: str, code: str = "123456") -> int:
    response = client.post(
        "/staff/login/", {"username": username, "password": password, "code": code}
    )
    return response.status_code


def test_a_guessing_address_is_refused_with_429_and_the_owner_signs_in_from_elsewhere() -> None:
    create_staff("caseworker-1", "caseworker", password=PASSWORD)
    attacker = Client(REMOTE_ADDR=ATTACKER)
    statuses = [sign_in(attacker, "caseworker-1", f"guess {n}") for n in range(5)]
    assert statuses == [400] * 5
    # Even the right password and code are refused from the guessing address, unchecked.
    refused = attacker.post(
        "/staff/login/",
        {"username": "caseworker-1", "password": PASSWORD, "code": current_code("caseworker-1")},
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed sign-ins from this address. Wait 1 minute and try again" in page
    assert "govuk-error-summary" in page
    assert attacker.get("/staff/")["Location"].startswith("/staff/login/")

    owner = Client(REMOTE_ADDR=OWNER)
    assert sign_in(owner, "caseworker-1", PASSWORD, current_code("caseworker-1")) == 302
    assert owner.get("/staff/").status_code == 200


def test_an_address_guessing_many_usernames_is_slowed_and_may_try_again_after_the_wait() -> None:
    attacker = Client(REMOTE_ADDR=ATTACKER)
    statuses = [sign_in(attacker, f"someone-{n}", "guess") for n in range(6)]
    assert statuses == [400] * 5 + [429]
    SignInAttempt.objects.update(at=timezone.now() - timedelta(seconds=31))
    assert sign_in(attacker, "someone-6", "guess") == 400
    assert sign_in(attacker, "someone-7", "guess") == 429  # now a minute


ALERT_AFTER = 4


def test_admins_are_told_once_which_account_is_being_guessed_at(
    caplog: pytest.LogCaptureFixture,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.DONTPAY_SIGN_IN_ALERT_AFTER = ALERT_AFTER
    admin = signed_in("admin")
    caseworker = signed_in("caseworker")
    for n in range(ALERT_AFTER + 2):
        guesser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        with caplog.at_level(logging.WARNING, logger="dontpay.accounts.sign_in"):
            assert sign_in(guesser, "caseworker-1", f"secret-guess-{n}") == 400
    for n in range(ALERT_AFTER):  # a name that is no account is never reported
        sign_in(Client(REMOTE_ADDR=f"192.0.2.{n + 1}"), "my real password", "guess")

    alerts = AuditEvent.objects.filter(action=GUESSED_AT)
    assert [(a.target, a.detail) for a in alerts] == [
        ("caseworker-1", {"failures": ALERT_AFTER, "addresses": ALERT_AFTER})
    ]
    logged = [r.getMessage() for r in caplog.records if r.name == "dontpay.accounts.sign_in"]
    assert logged == [
        f"staff account caseworker-1: {ALERT_AFTER} failed sign-ins in the last hour "
        f"from {ALERT_AFTER} addresses"
    ]
    assert not any("secret-guess" in r.getMessage() for r in caplog.records)

    home = admin.get("/staff/").content.decode()
    assert "Someone is guessing at the sign-in of 1 staff account: caseworker-1." in home
    trail = admin.get("/staff/audit/").content.decode()
    assert "Accounts someone is guessing at" in trail
    assert "my real password" not in home + trail
    assert "Someone is guessing" not in caseworker.get("/staff/").content.decode()
    # The owner is not locked out by any of it (with the next code: each is used once).
    TOTPDevice.objects.filter(user__username="caseworker-1").update(last_t=-1)
    assert sign_in(Client(), "caseworker-1", PASSWORD, current_code("caseworker-1")) == 302
