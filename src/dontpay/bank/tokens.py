"""Platform API tokens: 256 random bits, shown once; only their SHA-256 is kept.

A token looks like ``dpt_Ab3dE5fG_<43 characters>``: the part before the second underscore is
its prefix, stored in clear so that staff can tell tokens apart and revoke one.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from .compiled_query import CompiledQuery
from .models import PlatformToken

_PREFIX_LETTERS = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: `last_used_at` is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvalidScope(ValueError):
    """A scope that does not exist."""


@dataclass(frozen=True)
class NewToken:
    """A stored token and its secret value, to show once."""

    token: PlatformToken
    secret: str


def create_token(name: str, scopes: list[str]) -> NewToken:
    """A new token for a platform, allowed the given scopes."""
    unknown = sorted(set(scopes) - set(PlatformToken.SCOPES))
    if unknown or not scopes:
        allowed = ", ".join(PlatformToken.SCOPES)
        raise InvalidScope(f"scopes must be some of {allowed}; not {', '.join(unknown) or 'none'}")
    if not name.strip():
        raise ValueError("a token needs a name, such as the platform's")
    prefix = "dpt_" + "".join(secrets.choice(_PREFIX_LETTERS) for _ in range(8))
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = PlatformToken.objects.create(
        name=name.strip(),
        prefix=prefix,
        digest=token_digest(secret),
        scopes=sorted(set(scopes), key=PlatformToken.SCOPES.index),
    )
    return NewToken(token, secret)


def authenticate(secret: str) -> PlatformToken | None:
    """The live token with this secret, or None; notes when it was last used.

    Read afresh on every request, so a revocation takes effect at once.
    """
    row = next(_LIVE_TOKEN.rows(token_digest(secret)), None)
    if row is None:
        return None
    token = PlatformToken.from_db(DEFAULT_DB_ALIAS, _FIELDS, row)
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PlatformToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


_FIELDS = [field.attname for field in PlatformToken._meta.concrete_fields]
_LIVE_TOKEN = CompiledQuery(
    lambda digest: PlatformToken.objects.filter(digest=digest, revoked_at__isnull=True).values_list(
        *_FIELDS
    )[:1],
    "a" * 64,
)


def revoke_token(prefix: str) -> PlatformToken | None:
    """Revoke the token with this prefix at once; None if there is no such live token."""
    token = PlatformToken.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is not None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
