"""Letters that look like the letters of a platform name or username: homoglyphs and leetspeak.

Usernames on the platforms we know are ASCII, so in a handle a Cyrillic a (U+0430) or a Greek
omicron can only be a disguised `a` or `o`: `latin_lookalikes` maps each letter of the Latin,
Cyrillic, Greek, Armenian, Cherokee, Coptic and Lisu scripts that Unicode's confusables list
(UTS #39, as the `confusable-homoglyphs` package ships it) gives as a look-alike of one ASCII
letter or digit.
It changes no length, so spans stay where they are.

Platform names are also written in leetspeak (`1nsta`, `sn4p`, `$nap`, `t3l3gram`) or spelt out
letter by letter (`s.n.a.p`); `leet_pattern` is the regex that reads a word either way.
"""

import re
from functools import cache

from confusable_homoglyphs import categories
from confusable_homoglyphs.confusables import confusables_data

_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "LISU"})


@cache
def _lookalike_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for character, homoglyphs in confusables_data.items():
        if len(character) != 1 or character.isascii() or not character.isalpha():
            continue
        if categories.alias(character) not in _SCRIPTS:
            continue
        ascii_forms = [
            glyph["c"] for glyph in homoglyphs if len(glyph["c"]) == 1 and glyph["c"].isascii()
        ]
        letters = [form for form in ascii_forms if form.isalpha()] or [
            form for form in ascii_forms if form.isdigit()
        ]
        if letters:
            table[ord(character)] = letters[0]
    return table


def latin_lookalikes(text: str) -> str:
    """`text` with every look-alike of an ASCII letter or digit replaced by it; same length."""
    return text if text.isascii() else text.translate(_lookalike_table())


#: How each letter of a platform name is disguised. Digits and symbols only: a letter that is
#: another letter (`lnsta`) is a different word.
_LEET: dict[str, str] = {
    "a": "a4@",
    "b": "b8",
    "c": "c(",
    "e": "e3",
    "g": "g9",
    "i": "i1!|",
    "l": "l1|",
    "o": "o0",
    "s": "s5$",
    "t": "t7+",
    "z": "z2",
}
#: Between the letters of a spelt-out name (`s.n.a.p`, `s n a p`, `s-n-a-p`).
_SPELT_OUT = r"[ .\-_*]?"
#: Shorter names (`ig`, `sc`, `fb`, `kik`) are never read in leetspeak: `1g` is a weight, `5c`
#: a price.
MIN_LEET_LENGTH = 4


def leet_parts(word: str) -> tuple[str, str]:
    """The regex for `word` written plainly, in leetspeak or letter by letter, as (its first
    letter, the rest), for grouping words by how they start; words shorter than
    `MIN_LEET_LENGTH`, and words of other scripts, only as written."""
    if len(word) < MIN_LEET_LENGTH or not word.isascii():
        escaped = [r"\s?" if letter == " " else re.escape(letter) for letter in word]
        return escaped[0], "".join(escaped[1:])
    letters = [
        r"\s?" if letter == " " else f"[{re.escape(_LEET.get(letter, letter))}]" for letter in word
    ]
    return letters[0], "".join(_SPELT_OUT + letter for letter in letters[1:])


def leet_pattern(word: str) -> str:
    """The whole regex of `leet_parts` (use it case-insensitively)."""
    return "".join(leet_parts(word))


def written_as_word(written: str) -> bool:
    """Whether a leet or spelt-out match still reads as a word: at least two of its letters are
    letters (`7313` is a number, not `tele`)."""
    return sum(character.isalpha() for character in written) >= 2
