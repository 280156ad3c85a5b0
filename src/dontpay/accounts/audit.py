"""Writing the audit trail: one call per view, download, export or change."""

from django.http import HttpRequest

from .models import AuditEvent


def audit(request: HttpRequest, action: str, target: str, **detail: str | int) -> None:
    """Record that the signed-in staff member did `action` to `target` (never any content)."""
    user = request.user
    AuditEvent.objects.create(
        actor=user.get_username(),
        role=getattr(getattr(user, "staff", None), "role", ""),
        action=action,
        target=target,
        address=request.META.get("REMOTE_ADDR", ""),
        detail=detail,
    )
