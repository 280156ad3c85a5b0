"""What an indicator is, offline: the facts an analyst would otherwise look up one by one.

A phone number's type, country and the carrier it was allocated to (libphonenumber's metadata:
numbers move between carriers, so this is where it started, not where it is); a wallet's network
and address kind; an IBAN's country and bank (schwifty's registry); a link's registrable domain
(tldextract's bundled public suffix list) and whether it is a known link shortener or payment
service (`link_services.yaml`). Nothing is fetched: the data ships with the libraries and with us.
Each family computes its own (`IndicatorFamily.enrich`); `enrichment` is the one entry point.
"""

from .scan import FAMILY_BY_TYPE

#: Every field any family returns, in the order pages and exports show them, with its label.
FIELDS: dict[str, str] = {
    "kind": "Kind",
    "service": "Service",
    "network": "Network",
    "country": "Country",
    "location": "Area",
    "carrier": "Carrier (as allocated)",
    "bank": "Bank",
    "bic": "BIC",
    "domain": "Registrable domain",
    "profile": "Profile address",
}


def enrichment(type: str, value: str, qualifier: str | None = None) -> dict[str, str]:
    """What the canonical `value` of an indicator of `type` is (keys of `FIELDS`, in that
    order); `qualifier` is a handle's platform or a wallet's network. Empty for an unknown type
    or a value the family cannot read: enrichment never stops a page or an export."""
    family = FAMILY_BY_TYPE.get(type)
    if family is None:
        return {}
    try:
        found = family.enrich(value, qualifier or None)
    except ValueError:
        return {}
    return {field: found[field] for field in FIELDS if found.get(field)}


def described(enriched: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs for a page."""
    return [(FIELDS[field], value) for field, value in enriched.items()]
