"""What a person is asked to write down, section by section, and how each answer is checked.

The sections follow the NCA's "write down as much information as possible" and the details
police and helplines ask for (see docs/report-format.md). Every field is optional: a record is
saved as it grows, and nothing is refused except what cannot be what it claims to be (a date
that is not a date, an amount that is not a number, a link that is not a web address).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from dontpay.domain.words import words


class InvalidRecord(ValueError):
    """One or more answers in a section cannot be used; `errors` maps field name to message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class Field:
    """One answer: `kind` is text, long-text, date, datetime, url, email, money or choice."""

    name: str
    label: str
    kind: str = "text"
    hint: str = ""
    choices: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    """One page of the record; a repeatable section holds a list of items (e.g. offenders)."""

    slug: str
    title: str
    intro: str
    fields: tuple[Field, ...]
    repeatable: bool = False
    #: A repeatable section's heading for one item, with its ``{number}``, and its add button.
    item_title: str = ""
    add_another: str = ""


CURRENCIES = (
    ("GBP", words("Pounds (GBP)")),
    ("USD", words("US dollars (USD)")),
    ("EUR", words("Euros (EUR)")),
)
CURRENCIES_WITH_OTHER = (*CURRENCIES, ("other", words("Another currency or crypto")))
PLATFORMS = (
    ("instagram", "Instagram"),
    ("facebook", "Facebook"),
    ("snapchat", "Snapchat"),
    ("tiktok", "TikTok"),
    ("whatsapp", "WhatsApp"),
    ("telegram", "Telegram"),
    ("skype", "Skype"),
    ("x", "X (Twitter)"),
    ("discord", "Discord"),
    ("kik", "Kik"),
    ("email", words("Email")),
    ("other", words("Somewhere else")),
)
PAYMENT_DETAIL_KINDS = (
    ("bank-account", words("UK bank account (sort code and account number)")),
    ("iban", words("International bank account (IBAN)")),
    ("crypto-wallet", words("Crypto wallet address")),
    ("paypal", "PayPal"),
    ("cashapp", "Cash App"),
    ("other-handle", words("Another payment app or handle")),
    ("gift-card", words("Gift card")),
    ("money-transfer", words("Money transfer (for example Western Union or MoneyGram)")),
)
COLLECTED = (
    ("yes", words("Yes, it has been collected")),
    ("no", words("No, not yet")),
    ("unknown", words("I don't know")),
)

SECTIONS: tuple[Section, ...] = (
    Section(
        "when",
        words("When it happened"),
        words(
            "Dates help the police put messages in order. Leave anything you are not sure about."
        ),
        (
            Field("started_on", words("When did you first have contact with them?"), "date"),
            Field("threats_on", words("When did the threats start?"), "date"),
        ),
    ),
    Section(
        "who",
        words("Who contacted you"),
        words(
            "Add each account they used. Usernames and profile links matter most: they help "
            "police find the people behind them."
        ),
        (
            Field("platform", words("App or site"), "choice", choices=PLATFORMS),
            Field("username", words("Username"), hint=words("For example @name, or a Skype name")),
            Field("display_name", words("Name shown on the profile")),
            Field("profile_url", words("Link to their profile"), "url"),
            Field(
                "platform_id",
                words("Account ID, if the app shows one"),
                hint=words(
                    "For example a Skype ID, which has no spaces and appears after 'Skype:'"
                ),
            ),
        ),
        repeatable=True,
        item_title=words("Account {number}"),
        add_another=words("Add another account"),
    ),
    Section(
        "contact-details",
        words("Phone numbers and email addresses they used"),
        words("Write each one on its own line."),
        (
            Field("phone_numbers", words("Phone numbers"), "long-text"),
            Field("emails", words("Email addresses"), "long-text"),
        ),
    ),
    Section(
        "demands",
        words("What they asked for"),
        words("Add each demand: how much, how they wanted it paid, and by when."),
        (
            Field("amount", words("Amount"), "money"),
            Field("currency", words("Currency"), "choice", choices=CURRENCIES_WITH_OTHER),
            Field(
                "method",
                words("How they wanted it paid"),
                hint=words("For example bank transfer, gift cards or crypto"),
            ),
            Field("deadline", words("Deadline they gave"), "datetime"),
        ),
        repeatable=True,
        item_title=words("Demand {number}"),
        add_another=words("Add another demand"),
    ),
    Section(
        "payment-details",
        words("Payment details they gave you"),
        words(
            "Bank details, wallet addresses and payment handles are often reused by the same "
            "criminals, so they can link your report to others."
        ),
        (
            Field("kind", words("Type"), "choice", choices=PAYMENT_DETAIL_KINDS),
            Field(
                "value",
                words("The details"),
                hint=words(
                    "For example a sort code and account number, an IBAN, a wallet address, "
                    "a $cashtag or a money transfer control number (MTCN)"
                ),
            ),
            Field(
                "note",
                words("Anything else about it"),
                hint=words("For example the name on the account"),
            ),
        ),
        repeatable=True,
        item_title=words("Payment detail {number}"),
        add_another=words("Add another payment detail"),
    ),
    Section(
        "payments",
        words("Payments you made"),
        words("Only if you paid. It is not your fault if you did."),
        (
            Field("amount", words("Amount"), "money"),
            Field("currency", words("Currency"), "choice", choices=CURRENCIES_WITH_OTHER),
            Field("paid_on", words("Date paid"), "date"),
            Field("method", words("How you paid")),
            Field("reference", words("Payment reference or transaction ID")),
            Field(
                "collected",
                words("Has the money been collected?"),
                "choice",
                choices=COLLECTED,
            ),
        ),
        repeatable=True,
        item_title=words("Payment {number}"),
        add_another=words("Add another payment"),
    ),
    Section(
        "posted",
        words("Anything already posted"),
        words("Links to anything they have posted or shared. Put each link on its own line."),
        (Field("links", words("Links"), "long-text"),),
    ),
    Section(
        "reports-made",
        words("Reports you have already made"),
        words("Reference numbers let police and platforms find your earlier reports."),
        (
            Field("police_reference", words("Police crime reference number")),
            Field(
                "platform_reports",
                words("Reports to apps or sites"),
                "long-text",
                hint=words("The app and any report number, one per line"),
            ),
            Field(
                "stopncii_case",
                words("StopNCII case number"),
                hint=words("StopNCII cannot recover your case number and PIN: keep them safe"),
            ),
            Field("report_remove_case", words("Report Remove or Take It Down case number")),
        ),
    ),
    Section(
        "messages",
        words("Their messages"),
        words("Copy and paste their messages here, as they were sent."),
        (Field("text", words("Messages"), "long-text"),),
    ),
    Section(
        "your-account",
        words("What happened, in your words"),
        words("Say as much or as little as you want."),
        (Field("text", words("What happened"), "long-text"),),
    ),
    Section(
        "contact",
        words("How you want to be contacted"),
        words("Only if you want a helpline or the police to contact you about this report."),
        (
            Field(
                "how",
                words("How should we contact you?"),
                "choice",
                choices=(
                    ("none", words("Do not contact me")),
                    ("email", words("By email")),
                    ("phone", words("By phone")),
                ),
            ),
            Field("email", words("Email address"), "email"),
            Field("phone", words("Phone number")),
            Field("safe_times", words("When is it safe to contact you?")),
        ),
    ),
)

MAX_TEXT = 300
MAX_LONG_TEXT = 50_000
#: Items one repeatable section may hold (accounts, demands, payment details, payments). Far
#: more than any one case has, and it bounds the text of a whole record, so that reading it
#: again for indicators is bounded work too.
MAX_ITEMS = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def section(slug: str) -> Section:
    """The section with this slug; `KeyError` if there is none."""
    for candidate in SECTIONS:
        if candidate.slug == slug:
            return candidate
    raise KeyError(slug)


def empty_record() -> dict[str, Any]:
    """A record with nothing in it yet: a dict per section, a list per repeatable section."""
    return {s.slug: [] if s.repeatable else {} for s in SECTIONS}


def clean_section(target: Section, raw: Mapping[str, str]) -> dict[str, str]:
    """Check one section's answers (or one item of a repeatable section).

    Returns only the non-empty answers, normalised (dates as YYYY-MM-DD, amounts as plain
    decimals); raises `InvalidRecord` with a message per bad field.
    """
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field in target.fields:
        value = str(raw.get(field.name, "")).strip()
        if not value:
            continue
        try:
            cleaned[field.name] = _clean(field, value)
        except ValueError as problem:
            errors[field.name] = problem.args[0]  # the `words`, for the page to translate
    if errors:
        raise InvalidRecord(errors)
    return cleaned


def check_room_for_item(target: Section, items: list[Any]) -> None:
    """Raise `InvalidRecord` if `target` already holds `MAX_ITEMS` items (nothing is lost:
    what was typed is shown again, and the items saved stay)."""
    if len(items) >= MAX_ITEMS:
        raise InvalidRecord(
            {
                target.fields[0].name: words(
                    "This part of your record already holds {count} items, the most it can "
                    "hold. Remove one you do not need to add another",
                    count=MAX_ITEMS,
                )
            }
        )


def check_lengths(target: Section, raw: Mapping[str, str]) -> None:
    """Raise `InvalidRecord` for any answer longer than its field can hold, checking nothing
    else: what a person typed and has not saved is kept only if it could be saved."""
    errors: dict[str, str] = {}
    for field in target.fields:
        try:
            _check_length(field, str(raw.get(field.name, "")).strip())
        except ValueError as problem:
            errors[field.name] = problem.args[0]
    if errors:
        raise InvalidRecord(errors)


def _check_length(field: Field, value: str) -> None:
    limit = MAX_LONG_TEXT if field.kind == "long-text" else MAX_TEXT
    if len(value) > limit:
        raise ValueError(words("This must be {limit} characters or fewer", limit=limit))


def _clean(field: Field, value: str) -> str:
    _check_length(field, value)
    if "\x00" in value:
        raise ValueError(words("This contains a character that cannot be stored"))
    match field.kind:
        case "date":
            return _date(field, value).isoformat()
        case "datetime":
            try:
                return (
                    datetime.fromisoformat(value).replace(tzinfo=None).isoformat(timespec="minutes")
                )
            except ValueError:
                raise ValueError(words("Enter a real date and time")) from None
        case "money":
            return _money(field, value)
        case "url":
            return _url(field, value)
        case "email":
            if not _EMAIL.match(value):
                raise ValueError(
                    words("Enter an email address in the right format, like name@example.com")
                )
            return value
        case "choice":
            if value not in dict(field.choices):
                raise ValueError(words("Select an option from the list"))
            return value
        case _:
            return value


def _date(field: Field, value: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueError(words("Enter a real date")) from None
    if parsed > date.today():
        raise ValueError(words("The date must be today or in the past"))
    return parsed


def _money(field: Field, value: str) -> str:
    try:
        amount = Decimal(value.replace(",", "").lstrip("£$€"))
    except InvalidOperation:
        raise ValueError(words("Enter an amount as a number, like 250 or 99.50")) from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise ValueError(words("Enter an amount as a number, like 250 or 99.50"))
    return f"{amount.quantize(Decimal('0.01'))}"


def _url(field: Field, value: str) -> str:
    candidate = value if "://" in value else f"https://{value}"
    parts = urlsplit(candidate)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in candidate:
        raise ValueError(words("Enter a web address, like https://example.com/name"))
    return candidate
