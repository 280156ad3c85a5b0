"""The number a form button carries in its value (`remove-3`, `profile-12`).

One parser for every such button: only ASCII digits, at most 18 of them, count as a number.
`str.isdigit()` also accepts superscripts and other scripts' digits ("²", "٣"), which `int()`
then refuses or reads as a different number, so a crafted value became a server error.
"""

_MAX_DIGITS = 18  # fits a 64-bit database id


def action_number(action: str, prefix: str) -> int | None:
    """The number after `prefix` in `action`, or None if `action` is not `prefix` + digits."""
    if not action.startswith(prefix):
        return None
    digits = action.removeprefix(prefix)
    if not digits or len(digits) > _MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return int(digits)
