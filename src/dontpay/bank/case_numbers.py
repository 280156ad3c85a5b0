"""Case numbers and PINs for hash submissions: easy to copy by hand, too many to guess.

A case number is 10 characters of Crockford's base 32 (50 random bits) in two groups, such as
``7F3K9-QX2MA``; the PIN is 8 digits, shown once and stored only as an Argon2 hash. Guessing is
throttled per case and per client (see `submissions.check_submission`), so at 5 guesses a
quarter of an hour a PIN holds for centuries.
"""

import secrets

from dontpay.domain.reports.references import ALPHABET

CASE_NUMBER_LENGTH = 10
PIN_DIGITS = 8
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def new_case_number() -> str:
    """A fresh case number such as ``7F3K9-QX2MA``."""
    characters = "".join(secrets.choice(ALPHABET) for _ in range(CASE_NUMBER_LENGTH))
    return f"{characters[:5]}-{characters[5:]}"


def new_pin() -> str:
    """A fresh 8-digit PIN such as ``40718253``."""
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def normalise_case_number(text: str) -> str:
    """A case number as people type it (any case, spaces, no dash, O for 0), or "" if none."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_MISREAD)
    if len(compact) != CASE_NUMBER_LENGTH or any(ch not in ALPHABET for ch in compact):
        return ""
    return f"{compact[:5]}-{compact[5:]}"


def normalise_pin(text: str) -> str:
    """A PIN compares without spaces or dashes."""
    return "".join(ch for ch in text if ch.isdigit())
