"""Throttling guesses of a secret: a report's passphrase, a bank case's PIN.

Each attempt is counted before the secret is checked, per target and per client, so a burst of
parallel guesses cannot all slip in under the limit; a right guess takes its attempt back.
Clients are keyed hashes of their addresses (`reports.client_fingerprint`).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone


class TooManyAttempts(Exception):
    """Guessing is paused for this target or this client."""


@dataclass(frozen=True)
class Throttle:
    """Failed attempts allowed within `window`, per target and per client. `model` has the
    fields `<target_field>`, `client` and `at` (when the attempt was made)."""

    model: type[models.Model]
    target_field: str
    per_target: int
    per_client: int
    window: timedelta = timedelta(minutes=15)

    def count(self, target: str, client: str) -> models.Model:
        """Record an attempt; delete it if the guess was right. Raises `TooManyAttempts`."""
        attempts = self.model._default_manager
        attempt = attempts.create(**{self.target_field: target, "client": client})
        recent = attempts.filter(at__gte=timezone.now() - self.window)
        if (
            recent.filter(**{self.target_field: target}).count() > self.per_target
            or recent.filter(client=client).count() > self.per_client
        ):
            raise TooManyAttempts
        return attempt

    def forget_old(self) -> int:
        """Delete attempts older than the window, which no longer count."""
        old = self.model._default_manager.filter(at__lt=timezone.now() - self.window)
        deleted, _ = old.delete()
        return deleted
