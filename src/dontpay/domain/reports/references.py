"""Report references and passphrases: short enough to write down, too many to guess."""

import secrets

#: Crockford's base 32: no I, L, O or U, so nothing is misread when copied by hand.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


def _groups(count: int, size: int) -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(size)) for _ in range(count))


def new_reference() -> str:
    """A reference such as ``DP-7F3K-9QX2`` (40 random bits)."""
    return f"DP-{_groups(2, 4)}"


def new_passphrase() -> str:
    """A passphrase such as ``K7QF-2MXA-93TD-PW4R`` (80 random bits), shown once."""
    return _groups(4, 4)


def normalise_reference(text: str) -> str:
    """Accept a reference as people type it: any case, spaces, missing dashes, O for 0."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_MISREAD)
    compact = compact.removeprefix("DP")
    if len(compact) != 8 or any(ch not in ALPHABET for ch in compact):
        return ""
    return f"DP-{compact[:4]}-{compact[4:]}"


def normalise_passphrase(text: str) -> str:
    """Passphrases compare without spaces or dashes and in capitals."""
    return "".join(ch for ch in text.upper() if ch.isalnum()).translate(_MISREAD)
