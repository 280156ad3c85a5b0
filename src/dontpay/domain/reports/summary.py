"""A report's summary and timeline: what police and helplines read first."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .record import PLATFORMS


@dataclass(frozen=True)
class TimelineEntry:
    """Something that happened, and when (``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM``)."""

    when: str
    what: str


@dataclass(frozen=True)
class Summary:
    """The facts at a glance; amounts are totals per currency, as text such as "500.00 GBP"."""

    accounts: tuple[str, ...]
    demanded: tuple[str, ...]
    paid: tuple[str, ...]
    payment_details: int
    posted_links: int
    police_reference: str


def _money(item: Mapping[str, str]) -> str:
    currency = item.get("currency", "")
    return f"{item['amount']} {currency or '(currency not given)'}"


def _totals(items: list[Mapping[str, str]]) -> tuple[str, ...]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        if "amount" in item:
            sums[item.get("currency", "")] += Decimal(item["amount"])
    return tuple(_money({"amount": f"{total:.2f}", "currency": c}) for c, total in sums.items())


def summarise(record: Mapping[str, Any]) -> Summary:
    """The summary of a record as stored (see `record.py`)."""
    platforms = dict(PLATFORMS)
    accounts = tuple(
        " ".join(
            part
            for part in (
                f"{platforms.get(a.get('platform', ''), '')}:" if a.get("platform") else "",
                a.get("username") or a.get("display_name") or a.get("profile_url") or "",
            )
            if part
        )
        for a in record.get("who", [])
    )
    links = record.get("posted", {}).get("links", "")
    return Summary(
        accounts=accounts,
        demanded=_totals(record.get("demands", [])),
        paid=_totals(record.get("payments", [])),
        payment_details=len(record.get("payment-details", [])),
        posted_links=len([line for line in links.splitlines() if line.strip()]),
        police_reference=record.get("reports-made", {}).get("police_reference", ""),
    )


def timeline(record: Mapping[str, Any]) -> list[TimelineEntry]:
    """Every dated answer in the record, oldest first."""
    when = record.get("when", {})
    entries = [
        TimelineEntry(when[key], label)
        for key, label in (("started_on", "First contact"), ("threats_on", "Threats started"))
        if key in when
    ]
    for demand in record.get("demands", []):
        if "deadline" in demand:
            amount = f" for {_money(demand)}" if "amount" in demand else ""
            entries.append(TimelineEntry(demand["deadline"], f"Deadline given{amount}"))
    for payment in record.get("payments", []):
        if "paid_on" in payment:
            amount = _money(payment) if "amount" in payment else "money"
            method = f" by {payment['method']}" if "method" in payment else ""
            entries.append(TimelineEntry(payment["paid_on"], f"Paid {amount}{method}"))
    return sorted(entries, key=lambda entry: entry.when)
