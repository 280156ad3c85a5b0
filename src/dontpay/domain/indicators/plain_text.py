"""A text as a moderator reads it: the tricks that hide a number or an address from a filter undone.

People who do not want a filter to see a phone number or an account write it so a person still
reads it but a pattern does not: fullwidth or mathematical bold letters, invisible characters
inside a word (a zero-width space in `snap`), digits of other scripts or in circles (Arabic-Indic
digits, `①`), keycap emoji, a `+` set apart from its digits (`+ 2 3 4 …`), digits written as
words (`seven seven zero …`). `plain_text` undoes these and keeps, for every character of the
result, the characters of the source it came from, so that an indicator found in the plain text
points at the place it was written.

Letters are mapped with Unicode's compatibility normalisation (NFKC) one character at a time;
combining marks are kept as written, so `é` written as `e` + accent stays as written. Look-alike
letters of other scripts are not changed here: a host name in Cyrillic is a different host. The
handle family maps them itself (`lookalikes.py`), since platform usernames are ASCII.
"""

import re
import unicodedata
from array import array
from dataclasses import dataclass
from functools import lru_cache

#: Characters that show nothing, or only change how the character before them is drawn.
_INVISIBLE_RANGES = (
    (0xFE00, 0xFE0F),  # variation selectors (the emoji form of `7️⃣`)
    (0x20E3, 0x20E3),  # combining enclosing keycap
    (0xE0100, 0xE01EF),  # variation selectors supplement
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers, drawn as nothing
    (0x3164, 0x3164),
    (0xFFA0, 0xFFA0),
)

_DIGIT_WORDS: dict[str, str] = {
    # English, with the usual spoken forms of zero.
    **dict.fromkeys(("zero", "oh", "o", "nought", "nil"), "0"),
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    # French, Spanish, Portuguese, Italian and German.
    "zéro": "0", "un": "1", "deux": "2", "trois": "3", "quatre": "4", "cinq": "5",
    "sept": "7", "huit": "8", "neuf": "9",
    "cero": "0", "uno": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5",
    "seis": "6", "siete": "7", "ocho": "8", "nueve": "9",
    "um": "1", "dois": "2", "três": "3", "quatro": "4", "sete": "7", "oito": "8", "nove": "9",
    "due": "2", "tre": "3", "sei": "6", "sette": "7", "otto": "8",
    "null": "0", "eins": "1", "zwei": "2", "zwo": "2", "drei": "3", "vier": "4", "fünf": "5",
    "sechs": "6", "sieben": "7", "acht": "8", "neun": "9",
}  # fmt: skip
_REPEATS = {"double": 2, "triple": 3}


def _by_initial(words: list[str]) -> str:
    """An alternation of `words` grouped by first letter: the regex engine then tries one group
    at each word start, not every word."""
    groups: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        groups.setdefault(word[0], []).append(re.escape(word[1:]))
    return "|".join(f"{initial}(?:{'|'.join(rests)})" for initial, rests in groups.items())


_NUMBER_TOKEN = f"(?:{_by_initial([*_DIGIT_WORDS, *_REPEATS, 'plus'])}|\\d+)"
_NUMBER_SEPARATOR = r"[ \t,.\-/]{1,3}"
#: A run of number words and digit groups (each a whole word): found whole in one pass, then
#: judged; the separator cannot start a token, so the scan never backtracks.
_NUMBER_RUN = re.compile(
    rf"(?<!\w){_NUMBER_TOKEN}(?!\w)(?:{_NUMBER_SEPARATOR}{_NUMBER_TOKEN}(?!\w))++",
    re.IGNORECASE,
)
_NUMBER_PART = re.compile(
    rf"(?P<token>{_NUMBER_TOKEN})(?!\w)|(?P<separator>{_NUMBER_SEPARATOR})", re.IGNORECASE
)
#: A run is a number written in words only with this many number words and digits in it: fewer
#: is ordinary prose ("one or two"), more is no phone number.
_MIN_WORDS, _MIN_DIGITS, _MAX_DIGITS = 3, 7, 15
_SPACED_PLUS = re.compile(r"(?<![\w+])\+[ \t]+(?=\d)")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")

#: The longest NFKC form taken (`⑽` is `(10)`); some Arabic ligatures stand for 18 characters.
_LONGEST_COMPATIBLE = 4

Edit = tuple[int, int, str]


@lru_cache(maxsize=8192)
def plain_character(character: str) -> str:
    """What one non-ASCII character reads as: nothing, an ASCII digit, or its NFKC form."""
    code = ord(character)
    category = unicodedata.category(character)
    if category == "Cf" or any(low <= code <= high for low, high in _INVISIBLE_RANGES):
        return ""
    decimal = unicodedata.decimal(character, None)
    if decimal is not None:
        return str(decimal)
    if category.startswith("M"):
        return character
    compatible = unicodedata.normalize("NFKC", character)
    if len(compatible) > _LONGEST_COMPATIBLE:
        return character  # a whole phrase in one character (U+FDFA): no indicator, and costly
    if compatible == character:
        digit = unicodedata.digit(character, None)  # ❶ and other digits NFKC leaves alone
        return str(digit) if digit is not None else character
    return "".join(plain_character(part) if not part.isascii() else part for part in compatible)


@dataclass(frozen=True)
class PlainText:
    """The plain reading of a source text, and where each of its characters was written."""

    source: str
    text: str
    #: For each character of `text`, the start and end of the source characters it came from;
    #: None when `text` is the source unchanged.
    starts: array[int] | None = None
    ends: array[int] | None = None

    def source_span(self, span: tuple[int, int]) -> tuple[int, int]:
        """The span of the source that `span` of the plain text was read from."""
        if self.starts is None or self.ends is None:
            return span
        start, end = span
        return self.starts[start], self.ends[end - 1]


def _apply(plain: PlainText, edits: list[Edit]) -> PlainText:
    """`plain` with each (start, end, replacement) of its text replaced; edits sorted, disjoint."""
    if not edits:
        return plain
    previous_starts = plain.starts if plain.starts is not None else range(len(plain.text) + 1)
    previous_ends = plain.ends if plain.ends is not None else range(1, len(plain.text) + 1)
    pieces: list[str] = []
    starts, ends = array("q"), array("q")
    position = 0
    for start, end, replacement in edits:
        pieces.append(plain.text[position:start])
        starts.extend(previous_starts[position:start])
        ends.extend(previous_ends[position:start])
        pieces.append(replacement)
        starts.extend([previous_starts[start]] * len(replacement))
        ends.extend([previous_ends[end - 1]] * len(replacement))
        position = end
    pieces.append(plain.text[position:])
    starts.extend(previous_starts[position : len(plain.text)])
    ends.extend(previous_ends[position : len(plain.text)])
    return PlainText(plain.source, "".join(pieces), starts, ends)


def _character_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for run in _NOT_ASCII.finditer(text):
        for offset, character in enumerate(run[0]):
            plain = plain_character(character)
            if plain != character:
                edits.append((run.start() + offset, run.start() + offset + 1, plain))
    return edits


def _number_word_edits(text: str) -> list[Edit]:
    """Number words turned into digits, and the separators between them dropped, in each run
    that is a number written out ("oh seven nine one one, one two three…")."""
    edits: list[Edit] = []
    for run in _NUMBER_RUN.finditer(text):
        run_edits: list[Edit] = []
        words = digits = repeat = 0
        for part in _NUMBER_PART.finditer(text, run.start(), run.end()):
            start, end = part.span()
            if part["separator"] is not None:
                run_edits.append((start, end, ""))
                continue
            token = part["token"].lower()
            if token in _REPEATS:
                repeat = _REPEATS[token]
                run_edits.append((start, end, ""))
            elif token == "plus":  # noqa: S105 (a number word, not a password)
                run_edits.append((start, end, "+"))
            else:
                written = _DIGIT_WORDS.get(token, token)
                words += token in _DIGIT_WORDS
                digits += len(written) * max(repeat, 1)
                run_edits.append((start, end, written * max(repeat, 1)))
                repeat = 0
        if words >= _MIN_WORDS and _MIN_DIGITS <= digits <= _MAX_DIGITS:
            edits += [edit for edit in run_edits if text[edit[0] : edit[1]] != edit[2]]
    return edits


def plain_text(source: str) -> PlainText:
    """The text with invisible characters dropped, look-alike digits and compatibility forms
    made plain, a `+` joined to its digits, and numbers written in words turned into digits."""
    plain = PlainText(source, source)
    if not source.isascii():
        plain = _apply(plain, _character_edits(source))
    if "+" in plain.text:
        plain = _apply(
            plain, [(m.start(), m.end(), "+") for m in _SPACED_PLUS.finditer(plain.text)]
        )
    return _apply(plain, _number_word_edits(plain.text))
