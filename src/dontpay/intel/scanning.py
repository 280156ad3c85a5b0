"""From a report to its indicators, by where each one was found.

- RECORD: the answers the person gave for exactly this: the accounts that contacted them, the
  phone numbers and email addresses, the payment details, the links to anything posted.
- MESSAGES: whatever can be found in the messages they pasted and in their own account.
- OCR: whatever can be found in the text read from their screenshots.

Each source is indexed as a whole, so a value the person removes stops linking their report.
The person's own contact details, their payment references and the numbers of reports they
made are never indicators: they describe the person, not the offender. A value that is not a
valid indicator is simply left out; it is never an error for the person who typed it.
"""

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dontpay.cases.models import EvidenceItem, Report
from dontpay.cases.reports import read_record
from dontpay.cases.vault import data_key
from dontpay.domain.custody import decrypt, encrypt
from dontpay.domain.indicators import (
    Indicator,
    InvalidIndicator,
    canonical_indicator,
    find_indicators,
)

from . import models
from .linking import index_report, times_reported_before

logger = logging.getLogger(__name__)

#: Phone numbers without a country code are read as from here when the report has no country.
DEFAULT_REGION = "GB"
#: Record platforms whose "username" is another type of indicator than a handle.
_PLATFORM_TYPES = {"whatsapp": "phone", "email": "email"}
#: Payment-detail kinds (`PAYMENT_DETAIL_KINDS`) whose value is one indicator of a known type
#: (and platform). Other kinds, and values that do not fit their kind, are searched as text.
PAYMENT_TYPES: dict[str, tuple[str, str | None]] = {
    "bank-account": ("bank_account", None),
    "iban": ("iban", None),
    "crypto-wallet": ("crypto_address", None),
    "paypal": ("handle", "paypal"),
    "cashapp": ("handle", "cashapp"),
}
#: Free-text answers searched for the MESSAGES source: (section, field). The person's own
#: account of what happened is not searched: "my instagram is …" there is theirs, not the
#: offender's.
_MESSAGE_FIELDS = (("messages", "text"),)


def region_of(report: Report) -> str:
    """The country whose phone numbering applies to the report's text."""
    return report.jurisdiction.upper() or DEFAULT_REGION


#: The sections whose answers are indexed, and as which source; the rest hold nothing to index.
SOURCE_OF_SECTION = {
    "who": models.ReportIndicator.RECORD,
    "contact-details": models.ReportIndicator.RECORD,
    "payment-details": models.ReportIndicator.RECORD,
    "demands": models.ReportIndicator.RECORD,
    "posted": models.ReportIndicator.RECORD,
    **{slug: models.ReportIndicator.MESSAGES for slug, _ in _MESSAGE_FIELDS},
}


def scan_record(report: Report, record: Mapping[str, Any]) -> None:
    """Index the indicators in a decrypted record, as RECORD and MESSAGES."""
    scan_source(report, record, models.ReportIndicator.RECORD)
    scan_source(report, record, models.ReportIndicator.MESSAGES)


def scan_source(report: Report, record: Mapping[str, Any], source: str) -> None:
    """Index the indicators of one source (RECORD or MESSAGES) in a decrypted record."""
    find = record_indicators if source == models.ReportIndicator.RECORD else message_indicators
    index_report(report, source, find(record, region_of(report)))


def scan_saved_section(report_id: int, slug: str) -> None:
    """Index a record again after one of its sections was saved; never raises.

    A record the worker can read (sent, with consent to link) is read again there
    (`tasks.rescan_record`), so the person's request does no more than save. A linked record
    that was not sent can only be read while its owner's request holds the key: that request
    reads again only the source the section feeds, as committed (so saves that commit close
    together are indexed as they ended), which `MAX_ITEMS` and the field limits bound.
    """
    source = SOURCE_OF_SECTION.get(slug)
    report = Report.objects.filter(pk=report_id, deleted_at__isnull=True).first()
    if source is None or report is None:
        return
    if report.is_sent:
        from .tasks import rescan_record_later

        rescan_record_later(report_id)
        return
    _never_failing(report_id, lambda report: scan_source(report, read_record(report), source))


def scan_saved_record(report_id: int) -> None:
    """`scan_record` for a record as committed now; never raises (see `_never_failing`)."""
    _never_failing(report_id, lambda report: scan_record(report, read_record(report)))


def scan_remaining_screenshot_texts(report_id: int) -> None:
    """`scan_screenshot_texts` after a screenshot was removed; never raises."""
    _never_failing(report_id, scan_screenshot_texts)


def _never_failing(report_id: int, scan: Callable[[Report], None]) -> None:
    """Run `scan` on the live report. Indexing follows a change already saved, and a failure
    must never reach the person: it is logged with the report's id and the kind of error only,
    since a message could quote what they wrote."""
    try:
        report = Report.objects.filter(pk=report_id, deleted_at__isnull=True).first()
        if report is not None:
            scan(report)
    except Exception as problem:
        logger.error("Indexing report %s failed: %s", report_id, type(problem).__name__)


def record_indicators(record: Mapping[str, Any], region: str) -> list[Indicator]:
    """The indicators in the record's structured answers."""
    contact = record.get("contact-details") or {}
    found: list[Indicator] = []
    for account in record.get("who") or []:
        found += account_indicators(account, region)
    for name in ("phone_numbers", "emails"):
        found += _found_in(contact.get(name, ""), region)
    for detail in record.get("payment-details") or []:
        found += payment_detail_indicators(detail, region)
    for demand in record.get("demands") or []:  # "how they wanted it paid" may name an account
        found += _found_in(demand.get("method", ""), region)
    found += _found_in((record.get("posted") or {}).get("links", ""), region)
    return _unique(found)


def message_indicators(record: Mapping[str, Any], region: str) -> list[Indicator]:
    """The indicators in the pasted messages."""
    texts = ((record.get(slug) or {}).get(name, "") for slug, name in _MESSAGE_FIELDS)
    return _unique(found for text in texts for found in _found_in(text, region))


def account_indicators(account: Mapping[str, str], region: str) -> list[Indicator]:
    """One account that contacted the person: its username and id on its platform, and its
    profile link (which may itself name the handle)."""
    platform = account.get("platform", "other")
    type_ = _PLATFORM_TYPES.get(platform, "handle")
    found: list[Indicator] = []
    for name in ("username", "platform_id"):
        value = account.get(name, "")
        if value and platform != "other":
            found += _one_or_found(type_, value, platform if type_ == "handle" else None, region)
        elif value:
            found += _found_in(value, region)
    if link := account.get("profile_url", ""):
        found += _found_in(link, region) or _one_or_found("url", link, None, region)
    return _unique(found)


def payment_detail_indicators(detail: Mapping[str, str], region: str) -> list[Indicator]:
    """One payment detail: its value read as its kind says, or else searched as text."""
    value = detail.get("value", "")
    if not value:
        return []
    type_, platform = PAYMENT_TYPES.get(detail.get("kind", ""), ("", None))
    if not type_:
        return _unique(_found_in(value, region))
    return _one_or_found(type_, value, platform, region)


@dataclass(frozen=True)
class ReportedBefore:
    """A payment account in this report that other reports mention: as the person wrote it,
    and how many other reports mention it. Nothing else about those reports."""

    shown_as: str
    times: int


def payment_accounts_reported_before(
    report: Report, record: Mapping[str, Any]
) -> list[ReportedBefore]:
    """The report's payment accounts that other reports mention, each shown as the person typed
    it in their payment details (or in canonical form, if it came from elsewhere)."""
    region = region_of(report)
    typed = {
        found.key: detail["value"]
        for detail in record.get("payment-details") or []
        for found in payment_detail_indicators(detail, region)
    }
    # The typed accounts are looked up as they are now (unstored without consent to link; for a
    # sent record, the worker may not have indexed the latest save yet), beside those indexed.
    indexed = report.link_consent_at is not None
    return [
        ReportedBefore(typed.get(indicator.key, indicator.value), times)
        for indicator, times in times_reported_before(report, typed.keys(), indexed=indexed)
        if times > 0
    ]


def seal_screenshot_text(item: EvidenceItem, text: str) -> bytes:
    """Text read from a screenshot, encrypted under its report's data key and bound to it."""
    return encrypt(data_key(item.report), text.encode(), _text_binding(item.report, item))


def screenshot_texts(report: Report) -> list[str]:
    """All text read from the report's screenshots so far, decrypted, oldest item first."""
    key = data_key(report)
    rows = models.EvidenceText.objects.filter(evidence__report=report).select_related("evidence")
    return [
        decrypt(key, bytes(row.text), _text_binding(report, row.evidence)).decode()
        for row in rows.order_by("evidence__created_at", "evidence__id")
    ]


def scan_screenshot_texts(report: Report) -> None:
    """Index the indicators in all text read from the report's screenshots, as OCR."""
    region = region_of(report)
    found = (
        indicator for text in screenshot_texts(report) for indicator in _found_in(text, region)
    )
    index_report(report, models.ReportIndicator.OCR, _unique(found))


def _text_binding(report: Report, item: EvidenceItem) -> bytes:
    # Bound to the report and the item, so stored text cannot be moved to another item.
    return f"{report.reference}:text:{item.blob_id}".encode()


def _one_or_found(type_: str, value: str, platform: str | None, region: str) -> list[Indicator]:
    """`value` as one indicator of its stated type, or else whatever indicators it contains (a
    wallet typed as "BTC: bc1q…", a PayPal account given as an email address)."""
    try:
        return [canonical_indicator(type_, value, platform=platform, region=region)]
    except InvalidIndicator:
        return _found_in(value, region)


def _found_in(text: str, region: str) -> list[Indicator]:
    return find_indicators(text, region=region) if text else []


def _unique(found: Iterable[Indicator]) -> list[Indicator]:
    """Each key once, as first found."""
    first: dict[str, Indicator] = {}
    for indicator in found:
        first.setdefault(indicator.key, indicator)
    return list(first.values())
