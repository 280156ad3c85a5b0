"""File names as people sent them, made safe to show and to use as a member name in a pack.

A name is never trusted for anything else: the kind of a file comes from its content.
"""

import unicodedata

MAX_NAME_CHARS = 80
#: Some file systems limit a name to 255 bytes; 80 characters can be up to 320 in UTF-8.
_MAX_NAME_BYTES = 240
#: A longer "extension" is more likely part of the name, and is cut like the rest of it.
_MAX_EXTENSION_CHARS = 16
_ALLOWED_PUNCTUATION = frozenset(" -_.")
#: Names Windows gives to devices, with or without an extension.
_WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{digit}" for digit in "0123456789"}
    | {f"lpt{digit}" for digit in "0123456789"}
)


def safe_file_name(name: str, fallback_stem: str = "evidence") -> str:
    """The last path component of ``name``, keeping only letters (with their accents and vowel
    signs), digits, space, ``-``, ``_`` and ``.``; no leading dot; at most 80 characters, cut
    from the stem so the extension survives.

    Returns ``fallback_stem`` (made safe the same way) if nothing is left.
    """
    return _clean(name) or _clean(fallback_stem) or "evidence"


def _clean(name: str) -> str:
    # NFKC first, so look-alikes such as a full-width solidus become the "/" they imitate
    # and are split on below, rather than surviving as a letter-like character.
    name = unicodedata.normalize("NFKC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(" " if char.isspace() else char for char in name if _is_allowed(char))
    # Removing characters can bring a letter and its accent together: compose them again.
    kept = unicodedata.normalize("NFC", " ".join(kept.split()).lstrip(". ").rstrip(". "))
    if not kept:
        return ""
    kept = _shorten(kept)
    if kept.split(".", 1)[0].rstrip().lower() in _WINDOWS_DEVICES:
        kept = _shorten(f"_{kept}")
    return kept


def _is_allowed(char: str) -> bool:
    return (
        char.isalnum()
        or char.isspace()
        or char in _ALLOWED_PUNCTUATION
        or unicodedata.category(char).startswith("M")  # accents, Devanagari vowel signs
    )


def _shorten(name: str) -> str:
    """Cut the stem, not the extension, until the name fits in characters and in bytes.

    ``name`` starts and ends with neither a dot nor a space, so neither does the result.
    """
    stem, dot, extension = name.rpartition(".")
    if not stem.rstrip(". ") or len(extension) > _MAX_EXTENSION_CHARS:
        stem, extension = name, ""
    else:
        extension = dot + extension
    stem = stem[: MAX_NAME_CHARS - len(extension)]
    while len((stem + extension).encode("utf-8")) > _MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(". ") + extension
