"""Each bank test starts with this process's index forgotten and rate counts cleared: the test
database is emptied between tests, so change ids start again. PINs are hashed with a fast
hasher here, except where a test asks for the real one (Argon2 takes most of a second)."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from dontpay.bank.index import forget_bank_index
from dontpay.bank.tokens import create_token

# A hash of a real photograph (quality 100), and one far from it.
PHOTO = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
OTHER = "cfb2009ddd21c6dab0046a7745b5984757a8a4535b3377aea2591d32b33ff940"


def flip_bits(value: str, count: int) -> str:
    """The hash with its lowest `count` bits flipped: exactly `count` bits away."""
    return f"{int(value, 16) ^ ((1 << count) - 1):064x}"


@pytest.fixture(autouse=True)
def fresh_index(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    forget_bank_index()
    cache.clear()
    yield
    forget_bank_index()


@pytest.fixture
def token() -> Callable[..., str]:
    """Make a token with the given scopes; returns its secret."""

    def make(*scopes: str) -> str:
        return create_token("Example Platform", list(scopes or ("match",))).secret

    return make


@pytest.fixture
def api(token: Callable[..., str]) -> "ApiClient":
    return ApiClient(token("match", "signals", "bank"))


class ApiClient:
    """Django's test client speaking JSON with a bearer token."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.secret = secret

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"} if self.secret else {}

    def post(self, path: str, body: object, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
        data = body if isinstance(body, str | bytes) else __import__("json").dumps(body)
        return self.client.post(path, data, content_type=content_type, headers=self.headers())

    def get(self, path: str, **params: object):  # type: ignore[no-untyped-def]
        return self.client.get(path, params, headers=self.headers())

    def match(self, *values: str):  # type: ignore[no-untyped-def]
        return self.post(
            "/api/v1/match", {"signals": [{"type": "pdq", "value": v} for v in values]}
        )
