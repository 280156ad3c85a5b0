"""A case as statistics see it: the few fields an FOI table counts, with no personal data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: Offences a sextortion case is recorded under in England and Wales: blackmail (Theft Act 1968
#: s.21) and threatening to share intimate images (s.66B Sexual Offences Act 2003).
OFFENCES: tuple[str, ...] = ("blackmail", "threat to share intimate images")

# These age bands are our own, not a Home Office standard: they separate children (under 13,
# 13-15, 16-17), who go to CEOP and Report Remove rather than adult services, and then follow the
# usual ten-year survey bands, with 18-24 on its own so young adults can be told apart.
AGE_BANDS: tuple[str, ...] = (
    "under 13",
    "13-15",
    "16-17",
    "18-24",
    "25-34",
    "35-44",
    "45-54",
    "55+",
    "unknown",
)


@dataclass(frozen=True)
class CaseRecord:
    """One recorded crime, as imported from a force's records or read from a case file.

    `outcome_code` is a Home Office outcome type (0 while none is assigned); `amount_paid` is
    None when nothing was paid or the amount is not known; `currency` is an ISO 4217 code or "".
    """

    reference: str
    recorded_on: date
    offence: str
    payment_made: bool
    amount_paid: Decimal | None
    currency: str
    suspect_identified: bool
    outcome_code: int
    outcome_date: date | None
    victim_age_band: str
    platforms: tuple[str, ...]
