"""Throttling guesses of a secret: a report's passphrase, a bank case's PIN.

Each attempt is counted before the secret is checked, so a burst of parallel guesses cannot all
slip in under the limit; a right guess takes its attempt back. Clients are keyed hashes of their
addresses (`reports.client_fingerprint`).

Two shapes, for two kinds of secret:
- A short PIN can be guessed, so its target (the case number) is limited too.
- A long random passphrase cannot, so only the guesser is slowed: after `per_client` failures
  each further guess must wait twice as long as the one before (`first_delay`, up to
  `max_delay`). A per-target limit there would only let a guesser lock the owner out.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone


class TooManyAttempts(Exception):
    """Guessing is paused for this target or this client; `retry_after` says for how long."""

    def __init__(self, retry_after: timedelta) -> None:
        self.retry_after = retry_after
        super().__init__(f"try again in {retry_after}")

    @property
    def minutes(self) -> int:
        """Whole minutes to wait, at least one: what a person is told."""
        return max(1, -(-int(self.retry_after.total_seconds()) // 60))


@dataclass(frozen=True)
class Throttle:
    """Failed attempts allowed within `window`: `per_target` for one target (None for no
    target limit) and `per_client` for one client, after which a client's guesses are spaced
    by growing delays if `first_delay` is set, or refused until the window passes if not.
    `model` has the fields `<target_field>`, `client` and `at` (when the attempt was made)."""

    model: type[models.Model]
    target_field: str
    per_target: int | None
    per_client: int
    window: timedelta = timedelta(minutes=15)
    first_delay: timedelta | None = None
    max_delay: timedelta = timedelta(hours=1)

    def count(self, target: str, client: str) -> models.Model:
        """Record an attempt; delete it if the guess was right. Raises `TooManyAttempts`."""
        attempts = self.model._default_manager
        attempt = attempts.create(**{self.target_field: target, "client": client})
        recent = attempts.filter(at__gte=timezone.now() - self.window)
        if (
            self.per_target is not None
            and recent.filter(**{self.target_field: target}).count() > self.per_target
        ):
            raise TooManyAttempts(self.window)
        earlier = recent.filter(client=client).exclude(pk=attempt.pk)
        failures = earlier.count()
        if failures < self.per_client:
            return attempt
        if self.first_delay is None:
            raise TooManyAttempts(self.window)
        wait = self.delay_after(failures)
        last = earlier.order_by("-at").values_list("at", flat=True).first()
        since = timezone.now() - last if last else wait
        if since < wait:
            attempt.delete()  # refused unchecked: it does not lengthen the next wait
            raise TooManyAttempts(wait - since)
        return attempt

    def delay_after(self, failures: int) -> timedelta:
        """How long a client with `failures` recent failures waits before its next guess."""
        assert self.first_delay is not None
        doublings = min(failures - self.per_client, 20)
        delay: timedelta = self.first_delay * 2**doublings
        return min(delay, self.max_delay)

    def forget_old(self) -> int:
        """Delete attempts older than the window, which no longer count."""
        old = self.model._default_manager.filter(at__lt=timezone.now() - self.window)
        deleted, _ = old.delete()
        return deleted
