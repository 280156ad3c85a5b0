"""API authentication: a platform token with the endpoint's scope, within its rate.

Requests are counted per token in fixed one-minute windows in Django's cache. With the default
in-memory cache each process counts on its own; a shared cache (database or Redis, through
``CACHES``) makes the limit hold across processes.
"""

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from .models import PlatformToken
from .problems import ApiProblem
from .tokens import authenticate

#: Requests per minute per token, unless ``DONTPAY_API_RATE`` says otherwise.
DEFAULT_RATE = 600
_WINDOW_SECONDS = 60


class PlatformTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for a live token allowed `scope`."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> PlatformToken:
        platform = authenticate(token)
        if platform is None:
            raise ApiProblem(401, "The token is unknown or has been revoked")
        if self.scope not in platform.scopes:
            raise ApiProblem(403, f"This token does not have the {self.scope!r} scope")
        _count_request(platform)
        return platform


def platform_of(request: HttpRequest) -> PlatformToken:
    """The token `PlatformTokenAuth` authenticated, which ninja keeps on the request."""
    token: PlatformToken = request.auth  # type: ignore[attr-defined]
    return token


def _count_request(platform: PlatformToken) -> None:
    rate = int(getattr(settings, "DONTPAY_API_RATE", DEFAULT_RATE))
    now = time.time()
    window = int(now // _WINDOW_SECONDS)
    key = f"dontpay:bank-api:{platform.digest[:16]}:{window}"
    try:
        count = cache.incr(key)  # one round trip to a shared cache, but for a window's first
    except ValueError:  # the window's first request (or another process made it just now)
        count = 1 if cache.add(key, 1, timeout=2 * _WINDOW_SECONDS) else cache.incr(key)
    if count > rate:
        retry_after = max(1, math.ceil((window + 1) * _WINDOW_SECONDS - now))
        raise ApiProblem(
            429,
            f"This token may make {rate} requests a minute; try again in {retry_after} s",
            retry_after=retry_after,
        )
