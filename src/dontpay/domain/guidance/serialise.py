"""The JSON form of a plan, as printed by `dontpay plan --json`."""

from typing import Any

from .pack import Contact
from .plan import Plan


def contact_as_dict(contact: Contact) -> dict[str, Any]:
    """A contact as ``{"name", "phone", "url", "language"}``, plus text, email and hours where it
    has them; `language` is the language of its name and hours."""
    data: dict[str, Any] = {
        "name": contact.name,
        "phone": contact.phone,
        "url": contact.url,
        "language": contact.language,
    }
    for field in ("sms", "email", "hours"):
        if value := getattr(contact, field):
            data[field] = value
    return data


def plan_as_dict(plan: Plan) -> dict[str, Any]:
    """``{"jurisdiction", "language", "steps": [{"id", "language", "title", "body", "urgency",
    "contacts", ...}]}``: each step's `language` is that of its title and body, which is the
    plan's unless the pack has no translation into it (then ``en``)."""
    return {
        "jurisdiction": plan.jurisdiction,
        "language": plan.language,
        "steps": [
            {
                "id": step.id,
                "language": step.language,
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
