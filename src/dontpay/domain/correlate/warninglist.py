"""Values that must never link reports, and how an indicator is matched against them.

A platform's own domain, a no-reply sender or an exchange's shared deposit address appears in
reports by unrelated people; linking on it would merge strangers into one cluster.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

EXACT, DOMAIN = "exact", "domain"
#: Indicator types whose values have a domain that a DOMAIN entry can match.
DOMAIN_TYPES = ("email", "url")


@dataclass(frozen=True)
class WarninglistRule:
    """One entry: `value` of `type`, matched exactly or (emails and links) by domain."""

    type: str
    value: str
    match: str = EXACT


def domain_of(type: str, value: str) -> str:
    """The host an email address or link points at, lower-cased; empty for other types."""
    if type == "email":
        return value.rpartition("@")[2].lower().rstrip(".")
    if type == "url":
        candidate = value if "://" in value else f"https://{value}"
        return (urlsplit(candidate).hostname or "").rstrip(".")
    return ""


class Warninglist:
    """A set of rules, checked in constant time per indicator (plus one look-up per label of
    a domain)."""

    def __init__(self, rules: Iterable[WarninglistRule]) -> None:
        self._exact: set[tuple[str, str]] = set()
        self._domains: set[tuple[str, str]] = set()
        for rule in rules:
            if rule.match == DOMAIN:
                self._domains.add((rule.type, rule.value.lower().lstrip("@.")))
            else:
                self._exact.add((rule.type, rule.value))

    def matches(self, type: str, value: str, qualifier: str = "") -> bool:
        """Whether an indicator of this type, canonical value and platform or network is
        warninglisted; an exact entry "platform:name" covers a handle on that platform only."""
        if (type, value) in self._exact or (type, f"{qualifier}:{value}") in self._exact:
            return True
        host = domain_of(type, value) if type in DOMAIN_TYPES else ""
        labels = host.split(".")
        # mail.instagram.com is covered by an entry for instagram.com.
        return any((type, ".".join(labels[i:])) in self._domains for i in range(len(labels) - 1))
