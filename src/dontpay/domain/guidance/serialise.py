"""The JSON form of a plan, as printed by `dontpay plan --json`."""

from typing import Any

from .pack import Contact
from .plan import Plan


def contact_as_dict(contact: Contact) -> dict[str, Any]:
    """A contact as ``{"name", "phone", "url"}``, plus text, email and hours where it has them."""
    data: dict[str, Any] = {"name": contact.name, "phone": contact.phone, "url": contact.url}
    for field in ("sms", "email", "hours"):
        if value := getattr(contact, field):
            data[field] = value
    return data


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """``{"jurisdiction", "steps": [{"id", "title", "body", "urgency", "contacts", ...}]}``."""
    return {
        "jurisdiction": plan.jurisdiction,
        "steps": [
            {
                "id": step.id,
                "title": step.title,
                "body": step.body,
                "urgency": step.urgency.label,
                "contacts": [contact_as_dict(contact) for contact in step.contacts],
                **({"platform": step.platform} if step.platform else {}),
                "sources": [
                    {"title": s.title, "url": s.url, "verified_on": s.verified_on.isoformat()}
                    for s in step.sources
                ],
            }
            for step in plan.steps
        ],
    }
