"""Staff roles, one-time enrolment links, failed sign-ins, and the append-only audit trail."""

from typing import Any

from django.conf import settings
from django.db import models

from .roles import ROLES


class StaffProfile(models.Model):
    """A staff member's role. Every staff account has one; victims have no account at all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=ROLES)

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class Enrolment(models.Model):
    """A one-time link for a new staff member to set a password and pair an authenticator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    #: SHA-256 of the secret in the link; the link itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment of {self.user}"


class SignInAttempt(models.Model):
    """A failed staff sign-in, for throttling the address that guesses and alerting admins."""

    #: The username as typed (it may name no account).
    username = models.CharField(max_length=150, db_index=True)
    #: A keyed hash of the client's address: enough to throttle, useless to identify anyone.
    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"failed sign-in as {self.username}"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Audit events can be added and read, never changed or deleted."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit events cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """Who did what to which case or evidence item, when, and from where."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150)
    role = models.CharField(max_length=20)
    action = models.CharField(max_length=40, db_index=True)
    target = models.CharField(max_length=80, db_index=True)
    address = models.CharField(max_length=45, blank=True)
    detail = models.JSONField(default=dict)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events cannot be deleted")
