"""A cluster as files other tools read: a STIX 2.1 bundle, a MISP event, and CSV.

Every export holds offender indicators, report references, dates, amounts, platforms and
jurisdictions, and nothing else: never a name, contact detail or message of the person who
reported (see docs/analysts.md). The mapping of each indicator type is documented there too.
"""

import csv
import io
import json
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

import stix2
from django.conf import settings
from email_validator import EmailNotValidError, validate_email
from pymisp import MISPEvent, MISPObject, MISPOrganisation

from dontpay.domain.correlate import ClusterExplanation
from dontpay.domain.indicators import ENRICHMENT_FIELDS, described, enrichment
from dontpay.domain.indicators.url import iri_to_uri

from .models import ReportIndicator

#: Everything exported is shared under TLP:AMBER: the recipients' organisations only.
TLP = "tlp:amber"


@dataclass(frozen=True)
class ExportedIndicator:
    """One offender indicator of the cluster and the reports (references) that mention it."""

    type: str
    value: str
    qualifier: str
    flagged: bool
    first_seen: datetime
    #: Report reference → when that report first mentioned it.
    seen_in: dict[str, datetime]

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(sorted(self.seen_in))

    @cached_property
    def enrichment(self) -> dict[str, str]:
        """What the value is (type of number, bank, network, domain…), computed offline."""
        return enrichment(self.type, self.value, self.qualifier)


def cluster_indicators(explanation: ClusterExplanation) -> list[ExportedIndicator]:
    """The offender's indicators in the cluster, most widely shared first: those that link two
    or more of its reports, and those the people entered as the offender's (accounts, numbers,
    payment details). A value found only in one person's pasted messages or screenshots may be
    their own (a reply giving their number), so it is not exported.

    Warninglisted values (a platform's own domain, a no-reply sender) are left out: they are
    not the offender's."""
    rows = ReportIndicator.objects.filter(
        report_id__in=[report.id for report in explanation.reports],
        report__deleted_at__isnull=True,
        indicator__warninglisted=False,
    ).select_related("indicator", "report")
    seen: dict[int, dict[str, datetime]] = defaultdict(dict)
    indicators = {}
    entered = set()
    for row in rows:
        indicators[row.indicator_id] = row.indicator
        if row.source == ReportIndicator.RECORD:
            entered.add(row.indicator_id)
        by_report = seen[row.indicator_id]
        label = row.report.staff_label
        by_report[label] = min(row.seen_at, by_report.get(label) or row.seen_at)
    exported = [
        ExportedIndicator(
            type=indicator.type,
            value=indicator.value,
            qualifier=indicator.qualifier,
            flagged=indicator.flagged_at is not None,
            first_seen=min(seen[pk].values()),
            seen_in=seen[pk],
        )
        for pk, indicator in indicators.items()
        if pk in entered or len(seen[pk]) > 1
    ]
    exported.sort(key=lambda item: (-len(item.seen_in), item.type, item.qualifier, item.value))
    return exported


def _summary(explanation: ClusterExplanation) -> str:
    """The cluster in one paragraph: references, dates, amounts, platforms, jurisdictions."""

    def money(totals: dict[str, object]) -> str:
        return ", ".join(f"{amount} {currency}" for currency, amount in totals.items()) or "none"

    references = ", ".join(report.reference for report in explanation.reports)
    return (
        f"{len(explanation.reports)} linked sextortion reports ({references}), first seen "
        f"{explanation.first_seen:%Y-%m-%d}, last seen {explanation.last_seen:%Y-%m-%d}. "
        f"Demanded: {money(dict(explanation.demanded))}. Paid: {money(dict(explanation.paid))}. "
        f"Platforms: {', '.join(explanation.platforms) or 'none recorded'}. "
        f"Jurisdictions: {', '.join(explanation.jurisdictions) or 'none recorded'}."
    )


def _seen_in(indicator: ExportedIndicator) -> str:
    count = len(indicator.seen_in)
    return f"Seen in {count} report{'s' if count != 1 else ''}: {', '.join(indicator.references)}"


def _described(indicator: ExportedIndicator) -> str:
    """The enrichment and the reports, in one sentence for a description or comment."""
    facts = "; ".join(f"{label}: {value}" for label, value in described(indicator.enrichment))
    return f"{facts}. {_seen_in(indicator)}" if facts else _seen_in(indicator)


# STIX 2.1 ------------------------------------------------------------------------------------

#: Our handles' platforms that STIX's account-type-ov names (and the name it gives them).
ACCOUNT_TYPE_OV = {"facebook": "facebook", "skype": "skype", "x": "twitter"}
#: The property extension that says what kind of account a `user-account` is when STIX's
#: vocabulary has no word for it (instagram, cashapp, phone, iban, crypto-wallet-btc…): the
#: STIX 2.1 way (section 7.3) to add a property. Its id never changes, so tools can key on it.
ACCOUNT_KIND_EXTENSION = "extension-definition--6c5c3c3e-2b5e-4c0e-9a64-3f1d7d0c9a1b"
#: The property extension on each Indicator that says what its value is (our enrichment: kind,
#: country, carrier, bank, network, domain…), so tools can read the facts without parsing the
#: description. Its id never changes.
ENRICHMENT_EXTENSION = "extension-definition--2f0e7d1c-8b4a-4c55-9d3e-6a1b7c9e0f42"
#: What the stix2-validator accepts as an email-addr value (narrower than RFC 5322).
_STIX_EMAIL = re.compile(r"^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$")


def organisation_name() -> str:
    """The organisation that makes the exports (STIX identity, MISP Org and Orgc)."""
    return str(settings.DONTPAY_ORGANISATION_NAME)


def _organisation_uuid() -> uuid.UUID:
    """Stable for a name, and shaped as version 4, which STIX requires of an identity's id."""
    named = uuid.uuid5(uuid.NAMESPACE_URL, f"dontpay:organisation:{organisation_name()}")
    return uuid.UUID(bytes=named.bytes, version=4)


def account_kind(indicator: ExportedIndicator) -> str:
    """What kind of account a `user-account` is: the platform of a handle, or the indicator
    type (`crypto-wallet-btc` for a crypto address)."""
    if indicator.type == "handle":
        return indicator.qualifier
    if indicator.type == "crypto_address":
        return f"crypto-wallet-{indicator.qualifier}"
    return indicator.type.replace("_", "-")


def _stix_literal(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _ascii_email(value: str) -> str | None:
    """The address with its domain in IDNA, if STIX's email-addr may hold it; else None."""
    try:
        ascii_form = validate_email(value, check_deliverability=False).ascii_email
    except EmailNotValidError:
        return None
    return ascii_form if ascii_form and _STIX_EMAIL.match(ascii_form) else None


def _stix_observable(
    indicator: ExportedIndicator,
) -> tuple[stix2.v21._STIXBase21 | None, str]:
    """The observable for one indicator (None if STIX has no valid form for it) and the STIX
    pattern that matches it."""
    if indicator.type == "email":
        address = _ascii_email(indicator.value)
        pattern = f"[email-addr:value = {_stix_literal(address or indicator.value)}]"
        # An address outside the validator's rule (an apostrophe, a non-ASCII local part) is
        # still exported, whole, in the pattern; never as an altered observable.
        return (stix2.v21.EmailAddress(value=address) if address else None), pattern
    if indicator.type == "url":
        uri = iri_to_uri(indicator.value)
        return stix2.v21.URL(value=uri), f"[url:value = {_stix_literal(uri)}]"
    kind = account_kind(indicator)
    ov = ACCOUNT_TYPE_OV.get(kind) if indicator.type == "handle" else None
    extension = {ACCOUNT_KIND_EXTENSION: {"extension_type": "property-extension", "kind": kind}}
    account = stix2.v21.UserAccount(
        account_login=indicator.value,
        **({"account_type": ov} if ov else {}),
        extensions=extension,
    )
    pattern = (
        f"[user-account:account_login = {_stix_literal(indicator.value)} AND "
        f"user-account:extensions.'{ACCOUNT_KIND_EXTENSION}'.kind = {_stix_literal(kind)}]"
    )
    return account, pattern


def _stix_producer() -> tuple[
    stix2.v21.Identity, stix2.v21.ExtensionDefinition, stix2.v21.ExtensionDefinition
]:
    identity = stix2.v21.Identity(
        id=f"identity--{_organisation_uuid()}",
        name=organisation_name(),
        identity_class="organization",
        created="2026-01-01T00:00:00.000Z",
        modified="2026-01-01T00:00:00.000Z",
    )
    extension = stix2.v21.ExtensionDefinition(
        id=ACCOUNT_KIND_EXTENSION,
        created_by_ref=identity.id,
        created="2026-01-01T00:00:00.000Z",
        modified="2026-01-01T00:00:00.000Z",
        name="dontpay account kind",
        description=(
            "kind: what a user-account is, where account-type-ov has no word for it: a "
            "platform (instagram, snapchat, tiktok, telegram, cashapp, paypal, ...), phone, "
            "iban, bank-account (UK sort code-account number) or crypto-wallet-<network>."
        ),
        schema="docs/analysts.md in the dontpay source: the STIX export",
        version="1.0.0",
        extension_types=["property-extension"],
    )
    enrichment_extension = stix2.v21.ExtensionDefinition(
        id=ENRICHMENT_EXTENSION,
        created_by_ref=identity.id,
        created="2026-12-07T00:00:00.000Z",
        modified="2026-12-07T00:00:00.000Z",
        name="dontpay indicator enrichment",
        description=(
            "What an indicator's value is, computed offline: "
            + ", ".join(f"{field} ({label})" for field, label in ENRICHMENT_FIELDS.items())
            + ". Only the fields known for the value are present."
        ),
        schema="docs/analysts.md in the dontpay source: the STIX export",
        version="1.0.0",
        extension_types=["property-extension"],
    )
    return identity, extension, enrichment_extension


def stix_bundle(explanation: ClusterExplanation, indicators: list[ExportedIndicator]) -> str:
    """A STIX 2.1 bundle: a Grouping (suspicious activity) of the cluster's observables and an
    Indicator with a STIX pattern for each, all marked TLP:AMBER and made by the organisation.
    It passes `stix2-validator --strict` (tested)."""
    identity, extension, enrichment_extension = _stix_producer()
    objects: list[stix2.v21._STIXBase21] = []
    for indicator in indicators:
        observable, pattern = _stix_observable(indicator)
        if observable is not None:
            objects.append(observable)
        facts = indicator.enrichment
        objects.append(
            stix2.v21.Indicator(
                name=f"{indicator.type} {indicator.value}",
                description=_described(indicator),
                **(
                    {
                        "extensions": {
                            ENRICHMENT_EXTENSION: {"extension_type": "property-extension", **facts}
                        }
                    }
                    if facts
                    else {}
                ),
                indicator_types=["malicious-activity"],
                pattern=pattern,
                pattern_type="stix",
                valid_from=indicator.first_seen,
                created_by_ref=identity.id,
                object_marking_refs=[stix2.v21.TLP_AMBER],
            )
        )
    grouping = stix2.v21.Grouping(
        name=f"dontpay cluster {explanation.cluster_id}",
        description=_summary(explanation),
        context="suspicious-activity",
        object_refs=[item.id for item in objects] or [stix2.v21.TLP_AMBER.id],
        created_by_ref=identity.id,
        object_marking_refs=[stix2.v21.TLP_AMBER],
    )
    bundle = stix2.v21.Bundle(
        identity, extension, enrichment_extension, stix2.v21.TLP_AMBER, grouping, *objects
    )
    text: str = bundle.serialize(pretty=True)
    return text


# MISP ----------------------------------------------------------------------------------------

#: Indicator type → (MISP attribute type, category) for values MISP has a type for.
MISP_ATTRIBUTES = {
    "phone": ("phone-number", "Person"),
    "email": ("email-src", "Social network"),
    "url": ("url", "Network activity"),
    "iban": ("iban", "Financial fraud"),
}
#: Crypto address network → the symbol MISP's coin-address object uses.
COIN_SYMBOLS = {"btc": "BTC", "eth": "ETH", "tron": "TRX"}


def _coin_address(indicator: ExportedIndicator) -> MISPObject:
    coin = MISPObject("coin-address", standalone=False)
    symbol = COIN_SYMBOLS.get(indicator.qualifier, indicator.qualifier.upper())
    if symbol == "BTC":
        coin.add_attribute("address", value=indicator.value)
    elif symbol == "XMR":
        coin.add_attribute("address-xmr", value=indicator.value)
    else:
        coin.add_attribute("address-crypto", value=indicator.value)
    coin.add_attribute("symbol", value=symbol)
    return coin


def _bank_account(indicator: ExportedIndicator) -> MISPObject:
    sort_code, _, number = indicator.value.partition("-")
    account = MISPObject("bank-account", standalone=False)
    account.add_attribute("account", value=number)
    account.add_attribute("branch", value=sort_code)
    account.add_attribute("text", value="UK sort code (branch) and account number")
    return account


def _user_account(indicator: ExportedIndicator) -> MISPObject:
    account = MISPObject("user-account", standalone=False)
    account.add_attribute("username", value=indicator.value)
    account.add_attribute("account-type", value=account_kind(indicator))
    return account


def misp_event(explanation: ClusterExplanation, indicators: list[ExportedIndicator]) -> str:
    """A MISP event (JSON): typed attributes for phones, emails, links and IBANs, and objects
    for the rest: `user-account` (handles), `coin-address` (crypto addresses), `bank-account`
    (UK sort code and account number); each says which reports mention it."""
    event = MISPEvent()
    organisation = MISPOrganisation()
    organisation.from_dict(name=organisation_name(), uuid=str(_organisation_uuid()))
    event.Orgc = organisation  # who made the event
    event.Org = organisation  # who holds it: the same organisation, until it is shared
    event.info = f"dontpay cluster {explanation.cluster_id}: linked sextortion reports"
    event.date = explanation.first_seen.date()
    event.timestamp = explanation.last_seen  # MISP's "last changed"; misp-stix needs it
    event.distribution = 0  # this organisation only; shared on by the analyst's choice
    event.threat_level_id = 2
    event.analysis = 2
    event.add_tag(TLP)
    event.add_attribute(
        "text",
        _summary(explanation),
        category="Other",
        to_ids=False,
        comment="Cluster summary",
        timestamp=explanation.last_seen,
    )
    for indicator in indicators:
        comment = _described(indicator)
        if indicator.type in MISP_ATTRIBUTES:
            misp_type, category = MISP_ATTRIBUTES[indicator.type]
            event.add_attribute(
                misp_type,
                indicator.value,
                category=category,
                comment=comment,
                first_seen=indicator.first_seen,
                timestamp=indicator.first_seen,
            )
            continue
        if indicator.type == "crypto_address":
            misp_object = _coin_address(indicator)
        elif indicator.type == "bank_account":
            misp_object = _bank_account(indicator)
        else:
            misp_object = _user_account(indicator)
        misp_object.comment = comment
        misp_object.first_seen = indicator.first_seen
        misp_object.timestamp = indicator.first_seen
        for attribute in misp_object.attributes:
            attribute.timestamp = indicator.first_seen
        event.add_object(misp_object)
    # Keep the timestamps set above (pymisp drops those of edited entries): misp-stix and
    # MISP's own feeds read them.
    for entry in (
        event,
        *event.attributes,
        *event.objects,
        *(attribute for misp_object in event.objects for attribute in misp_object.attributes),
    ):
        entry.force_timestamp = True
    # MISP imports and exports events wrapped as {"Event": {...}}.
    return json.dumps({"Event": json.loads(event.to_json())}, indent=2)


# CSV -----------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "type",
    "value",
    "platform_or_network",
    "report_reference",
    "first_seen",
    *ENRICHMENT_FIELDS,
)


def cluster_csv(indicators: list[ExportedIndicator]) -> str:
    """One row per (indicator, report reference): when that report first mentioned it, and
    what the value is (one column per enrichment field, empty where unknown)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for indicator in indicators:
        for reference in indicator.references:
            seen = indicator.seen_in[reference]
            facts = indicator.enrichment
            writer.writerow(
                (
                    indicator.type,
                    indicator.value,
                    indicator.qualifier,
                    reference,
                    seen.isoformat(),
                    *(facts.get(field, "") for field in ENRICHMENT_FIELDS),
                )
            )
    return out.getvalue()
