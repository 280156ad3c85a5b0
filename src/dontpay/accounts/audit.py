"""Writing the audit trail: one call per view, download, export or change."""

from django.http import HttpRequest

from .models import AuditEvent, StaffProfile


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


def audit_by_command(action: str, target: str, **detail: str | int) -> None:
    """Record something done with a `dontpay` command on the server: actor "command", since
    whoever runs it already holds the organisation's keys."""
    AuditEvent.objects.create(actor="command", role="", action=action, target=target, detail=detail)


def audit_by_person(action: str, target: str, **detail: str | int) -> None:
    """Record something the person did that changes what staff may see (sending a record,
    withdrawing it): actor "person", with no address, since they are anonymous."""
    AuditEvent.objects.create(actor="person", role="", action=action, target=target, detail=detail)


def audit_for_staff(username: str, action: str, target: str, **detail: str | int) -> None:
    """Record something a worker did on a staff member's behalf (a referral pack they asked
    for): they are the actor, with their role; no address, since no request of theirs ran it."""
    role = (
        StaffProfile.objects.filter(user__username=username).values_list("role", flat=True).first()
    )
    AuditEvent.objects.create(
        actor=username, role=role or "", action=action, target=target, detail=detail
    )
