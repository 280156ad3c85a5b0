"""Known link shorteners and payment services, by registrable domain (`link_services.yaml`)."""

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

#: The list's sections and what each says a service is.
KINDS = {"link_shortener": "link shortener", "payment_service": "payment service"}


@dataclass(frozen=True)
class LinkService:
    domain: str
    service: str
    kind: str


@cache
def link_services() -> dict[str, LinkService]:
    """Every listed registrable domain → its service."""
    listed = yaml.safe_load(
        files(__package__).joinpath("link_services.yaml").read_text(encoding="utf-8")
    )
    return {
        entry["domain"]: LinkService(entry["domain"], entry["service"], KINDS[section])
        for section, entries in listed.items()
        for entry in entries
    }


def link_service(domain: str) -> LinkService | None:
    """The service a registrable domain belongs to, if it is listed."""
    return link_services().get(domain.lower())
