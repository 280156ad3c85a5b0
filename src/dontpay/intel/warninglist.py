"""The warninglist as administrators edit it: entries in the database, applied to the index.

Adding an entry marks the indicators it covers as warninglisted and relinks the reports that
mention them, so clusters joined only by that value split; removing one links them again.
"""

from collections.abc import Iterable

from django.db import transaction

from dontpay.domain.correlate import (
    DOMAIN,
    DOMAIN_TYPES,
    EXACT,
    Warninglist,
    WarninglistRule,
)
from dontpay.domain.indicators import TYPES, InvalidIndicator, canonical_indicator

from .models import Indicator, ReportIndicator, WarninglistEntry

#: Relinking more reports than this one at a time is slower than reclustering everything.
RECLUSTER_ABOVE = 2_000


class InvalidEntry(ValueError):
    """A warninglist entry that cannot be used; the message says why."""


def current_warninglist(
    entries: Iterable[WarninglistEntry] | None = None,
) -> Warninglist:
    """The warninglist as it stands (one query)."""
    rows = WarninglistEntry.objects.all() if entries is None else entries
    return Warninglist(WarninglistRule(e.type, e.value, e.match) for e in rows)


def is_warninglisted(indicator: object) -> bool:
    """Whether an indicator (found in text, or a stored `Indicator`) is on the warninglist."""
    qualifier = (
        getattr(indicator, "qualifier", None)
        or getattr(indicator, "platform", None)
        or getattr(indicator, "network", None)
        or ""
    )
    type, value = getattr(indicator, "type"), getattr(indicator, "value")  # noqa: B009
    return current_warninglist().matches(type, value, qualifier)


def add_entry(type: str, value: str, match: str, reason: str, added_by: str) -> WarninglistEntry:
    """Add an entry (an exact value is canonicalised first), then unlink what it covers."""
    entry = WarninglistEntry(
        type=type,
        value=_canonical_value(type, value, match),
        match=match,
        reason=reason.strip(),
        added_by=added_by,
    )
    if not entry.reason:
        raise InvalidEntry("reason: say why the value must never link reports")
    with transaction.atomic():
        if WarninglistEntry.objects.filter(type=type, value=entry.value, match=match).exists():
            raise InvalidEntry(f"{type} {entry.value} is already on the warninglist")
        entry.save()
        covered = _covered(entry, Warninglist([_rule(entry)]), warninglisted=False)
        Indicator.objects.filter(pk__in=covered).update(warninglisted=True)
    _relink(covered)
    return entry


def remove_entry(entry: WarninglistEntry) -> None:
    """Remove an entry, and link again what no other entry covers."""
    with transaction.atomic():
        entry.delete()
        covered = _covered(entry, Warninglist([_rule(entry)]), warninglisted=True)
        remaining = current_warninglist()
        freed = [
            indicator.pk
            for indicator in Indicator.objects.filter(pk__in=covered)
            if not remaining.matches(indicator.type, indicator.value, indicator.qualifier)
        ]
        Indicator.objects.filter(pk__in=freed).update(warninglisted=False)
    _relink(freed)


def _rule(entry: WarninglistEntry) -> WarninglistRule:
    return WarninglistRule(entry.type, entry.value, entry.match)


def _canonical_value(type: str, value: str, match: str) -> str:
    value = value.strip()
    if match == DOMAIN:
        if type not in DOMAIN_TYPES:
            raise InvalidEntry(f"match: only {' and '.join(DOMAIN_TYPES)} entries match a domain")
        domain = value.lower().lstrip("@.")
        if "." not in domain or "/" in domain or "@" in domain:
            raise InvalidEntry(f"value: {value!r} is not a domain, like example.com")
        return domain
    if match != EXACT:
        raise InvalidEntry(f"match: must be {EXACT} or {DOMAIN}")
    if type not in TYPES:
        raise InvalidEntry(f"type: {type!r} is not an indicator type; allowed: {', '.join(TYPES)}")
    platform, _, name = value.rpartition(":") if type == "handle" else ("", "", value)
    try:
        canonical = canonical_indicator(type, name, platform=platform or None)
    except InvalidIndicator as problem:
        raise InvalidEntry(str(problem)) from None
    return f"{platform}:{canonical.value}" if platform else canonical.value


def _covered(entry: WarninglistEntry, rule: Warninglist, *, warninglisted: bool) -> list[int]:
    """Ids of the stored indicators the entry covers, among those flagged `warninglisted`."""
    candidates = Indicator.objects.filter(type=entry.type, warninglisted=warninglisted)
    if entry.match == DOMAIN:
        candidates = candidates.filter(value__icontains=entry.value)
    else:
        candidates = candidates.filter(value=entry.value.rpartition(":")[2])
    return [
        indicator.pk
        for indicator in candidates
        if rule.matches(indicator.type, indicator.value, indicator.qualifier)
    ]


def _relink(indicator_ids: list[int]) -> None:
    """Relink every report mentioning these indicators (their clusters may split or merge)."""
    # Imported here: linking reads the warninglist when it creates indicators.
    from .linking import link_report, recluster_all

    reports = sorted(
        set(
            ReportIndicator.objects.filter(indicator_id__in=indicator_ids).values_list(
                "report_id", flat=True
            )
        )
    )
    if len(reports) > RECLUSTER_ABOVE:
        recluster_all()
        return
    for report_id in reports:
        link_report(report_id)
