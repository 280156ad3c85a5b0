"""The person's open record, in their session, without the server keeping a key it could use.

Opening a record (with its passphrase, or by starting it) unwraps its data key. The session,
which is stored on the server, keeps that key only sealed under a random secret that lives in a
cookie on the person's device (`RECORD_COOKIE`); the database alone therefore never holds a key
to a private record, and the record closes when either half is gone: Exit, closing it, the
browser closing, or `IDLE_SECONDS` without a request.

What the person was typing when their record closed for inactivity is sealed the same way
(`keep_draft`), and given back after they open the record again in the same browser; so is what
they had typed, unsaved, when they switched language on a section page.
"""

import base64
import binascii
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dontpay.cases.models import Report
from dontpay.domain.custody import DecryptionFailed, decrypt, encrypt

from .session import remember_age, under_18_in_this_visit

#: An open record closes itself after this long without a request (a shared device left alone).
IDLE_SECONDS = 20 * 60
#: How long before that the page warns the person and offers to keep the record open.
WARNING_SECONDS = 2 * 60
RECORD_COOKIE = "record_key"
_OPEN = "report"
_REFERENCE = "report_reference"
_SEEN = "report_seen"
_SEALED_KEY = "report_key"
_PASSPHRASE = "report_new_passphrase"  # noqa: S105 - a session key name
_DRAFT = "report_draft"


@dataclass(frozen=True)
class OpenRecord:
    """The report open in this session, and its data key (for this request only)."""

    report: Report
    key: bytes = field(repr=False)


def open_record(request: HttpRequest, report: Report, key: bytes) -> None:
    """Open `report` in a fresh session; `set_record_cookie` must go on the response.

    A draft kept for this same report, in this browser, is carried over; any other is dropped.
    """
    draft = _unseal_draft(request, report.reference)
    request.session.cycle_key()
    secret = os.urandom(32)
    request.record_secret = secret  # type: ignore[attr-defined]
    request.session[_OPEN] = report.pk
    request.session[_REFERENCE] = report.reference
    request.session[_SEEN] = time.time()
    request.session[_SEALED_KEY] = _seal(secret, key, report.reference)
    request.session.pop(_DRAFT, None)
    if draft is not None:
        _store_draft(request, report.reference, draft)
    if report.under_18:
        remember_age(request.session, under_18=True)


def set_record_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give the device its half of the key, if this request opened a record."""
    secret: bytes | None = getattr(request, "record_secret", None)
    if secret is not None:
        response.set_cookie(
            RECORD_COOKIE,
            base64.urlsafe_b64encode(secret).decode(),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )
    return response


def current_record(request: HttpRequest) -> OpenRecord | None:
    """The record open in this session, if it is still open; counts as activity."""
    pk = request.session.get(_OPEN)
    if not pk:
        return None
    if time.time() - request.session.get(_SEEN, 0) > IDLE_SECONDS:
        close_record(request, keep_reference=True)
        return None
    report = Report.objects.filter(pk=pk, deleted_at__isnull=True).first()
    secret = _cookie_secret(request)
    if report is None or secret is None:
        return None
    try:
        key = _unseal(secret, request.session.get(_SEALED_KEY, ""), report.reference)
    except DecryptionFailed:
        return None
    request.session[_SEEN] = time.time()
    return OpenRecord(report, key)


def child_in_this_visit(request: HttpRequest) -> bool:
    """Whether this visit must never be offered fingerprinting of images: the person said they
    are under 18 anywhere in it, or the record open in it is screenshots-only (its owner did not
    say they are 18 or over). Reads no key and does not count as activity."""
    if under_18_in_this_visit(request.session):
        return True
    pk = request.session.get(_OPEN)
    report = Report.objects.filter(pk=pk).only("under_18").first() if pk else None
    return report is not None and report.screenshots_only


def closed_for_inactivity(request: HttpRequest) -> bool:
    """Whether this session had a record open that closed because nobody used it."""
    return bool(request.session.get(_REFERENCE)) and not request.session.get(_OPEN)


def close_record(request: HttpRequest, *, keep_reference: bool = False) -> None:
    """Close the record in this session (the key goes with it)."""
    for name in (_OPEN, _SEEN, _SEALED_KEY, _PASSPHRASE):
        request.session.pop(name, None)
    if not keep_reference:
        request.session.pop(_REFERENCE, None)
        request.session.pop(_DRAFT, None)


def keep_passphrase(request: HttpRequest, reference: str, passphrase: str) -> None:
    """Hold a new record's passphrase, sealed, until the person has moved on from seeing it."""
    secret = _cookie_secret(request)
    assert secret is not None, "keep_passphrase follows open_record"
    request.session[_PASSPHRASE] = _seal(secret, passphrase.encode(), reference)


def shown_passphrase(request: HttpRequest, reference: str) -> str | None:
    """The new record's passphrase, while it is still being shown for the first time."""
    secret = _cookie_secret(request)
    sealed = request.session.get(_PASSPHRASE)
    if secret is None or not sealed:
        return None
    try:
        return _unseal(secret, sealed, reference).decode()
    except DecryptionFailed:
        return None


def forget_passphrase(request: HttpRequest) -> None:
    """The person has moved on: the passphrase is never shown again."""
    request.session.pop(_PASSPHRASE, None)


@dataclass(frozen=True)
class Draft:
    """What was typed into a section and not saved; `record_closed` if it was kept because the
    record closed (else the person switched language with the page half filled in)."""

    values: dict[str, str]
    record_closed: bool


def keep_draft(
    request: HttpRequest, slug: str, values: dict[str, str], *, record_closed: bool = True
) -> bool:
    """Seal what the person typed into section `slug` and has not saved, for the next time
    they open that section in this browser. False if it cannot be kept (no device secret)."""
    reference = request.session.get(_REFERENCE, "")
    if not reference or _cookie_secret(request) is None or not any(values.values()):
        return False
    draft = {"slug": slug, "values": values, "record_closed": record_closed}
    _store_draft(request, reference, draft)
    return True


def take_draft(request: HttpRequest, report: Report, slug: str) -> Draft | None:
    """What was typed into this section and not saved, once; None if nothing."""
    draft = _unseal_draft(request, report.reference)
    if draft is None or draft.get("slug") != slug:
        return None
    request.session.pop(_DRAFT, None)
    values = draft.get("values")
    if not isinstance(values, dict):
        return None
    typed = {str(k): str(v) for k, v in values.items()}
    return Draft(typed, record_closed=bool(draft.get("record_closed", True)))


def draft_section(request: HttpRequest, report: Report) -> str | None:
    """The section a kept draft belongs to, if there is one for this report."""
    draft = _unseal_draft(request, report.reference)
    return str(draft["slug"]) if draft and "slug" in draft else None


def _store_draft(request: HttpRequest, reference: str, draft: dict[str, Any]) -> None:
    secret = _cookie_secret(request)
    assert secret is not None
    sealed = _seal(secret, json.dumps(draft, ensure_ascii=False).encode(), f"{reference}:draft")
    request.session[_DRAFT] = sealed


def _unseal_draft(request: HttpRequest, reference: str) -> dict[str, Any] | None:
    sealed = request.session.get(_DRAFT)
    secret = _cookie_secret(request)
    if not sealed or secret is None:
        return None
    try:
        draft = json.loads(_unseal(secret, sealed, f"{reference}:draft"))
    except (DecryptionFailed, ValueError):
        return None
    return draft if isinstance(draft, dict) else None


def _cookie_secret(request: HttpRequest) -> bytes | None:
    """The device's half: the one this request gave it, else the one its cookie holds."""
    given: bytes | None = getattr(request, "record_secret", None)
    if given is not None:
        return given
    try:
        secret = base64.urlsafe_b64decode(request.COOKIES.get(RECORD_COOKIE, ""))
    except (binascii.Error, ValueError):
        return None
    return secret if len(secret) == 32 else None


def _seal(secret: bytes, value: bytes, reference: str) -> str:
    return base64.b64encode(encrypt(secret, value, reference.encode())).decode()


def _unseal(secret: bytes, sealed: str, reference: str) -> bytes:
    try:
        raw = base64.b64decode(sealed, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DecryptionFailed("not a sealed value") from error
    return decrypt(secret, raw, reference.encode())
