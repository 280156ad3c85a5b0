"""Texts built to make indicator extraction slow: repeated fragments of every family's shapes.

Each fragment is something one extractor pattern starts on, or a near miss that makes it try
again (a cashtag, an `@name` by a platform word, an address cut short, a sort code with no
account, a URL closed by brackets…). Repeating one to any length gives the worst case a pattern
sees; `mixed_text` interleaves them at random. The benchmark `benchmarks/indicators_hostile.py`
and the linear-time tests read the same list.
"""

import random

FRAGMENTS: dict[str, str] = {
    "cashtag": "$a ",
    "at-name": "@a ",
    "at-name by platform word": "ig @a ",
    "labelled handle": "snap: a ",
    "my platform is": "my snap is ",
    "platform words": "insta tiktok wa ",
    "email": "a@b.co ",
    "email without suffix": "a@b.",
    "email labels": "a.",
    "at signs": "@@",
    "obfuscated at": "a [at] b [dot] ",
    "spelled email": "a at b dot ",
    "spelled email hyphens": "a at ab-c dot ",
    "url": "http://a.co/ ",
    "url closers": "http://a)",
    "brackets": ")",
    "www": "www.",
    "profile links": "t.me/a instagram.com/a ",
    "profile hosts": "a.instagram.com",
    "digits": "1 ",
    "phone": "07911 123456 ",
    "digit run": "1-",
    "sort code": "sort code 12 ",
    "bank shape": "bank 12-34-56 1234567 ",
    "account label": "acc no ",
    "iban start": "GB82 ",
    "iban groups": "GB82 WEST ",
    "base58": "1" * 30 + " ",
    "hex": "0x" + "a" * 39 + " ",
    "bech32": "bc1" + "q" * 90 + " ",
    "apostrophes": "o'b",
    "backslashes": "a\\",
    "unicode": "ünï@ä.",
    "whitespace": " \t",
    "number words": "one two three ",
    "number words and digits": "oh 7 nine 1 ",
    "spaced plus": "+ 1 ",
    "zero-width": "a\u200b",
    "fullwidth": "\uff53\uff4e\uff41\uff50 \uff17 ",
    "keycaps": "7\ufe0f\u20e3",
    "look-alike letters": "\u0455n\u0430\u0440 \u0441hl\u043e\u0435 ",
    "leet platform words": "1nsta sn4p $nap ",
    "spelt-out platform word": "s.n.a.p ",
    "platform then name": "snap a.1 ",
    "name then platform": "a_1 on snap ",
    "bracketed name": "skype (a.1",
    "name runs": "a.b_c-",
    "spaced email": "a @ b . ",
    "provider email": "a1 at gmail.",
    "iban dashes": "GB82-WEST-",
    "long compatibility forms": "\ufdfa\u3392",
}


def repeated_text(fragment: str, length: int) -> str:
    """`fragment` repeated to exactly `length` characters."""
    return (fragment * (length // len(fragment) + 1))[:length]


def mixed_text(length: int, seed: int) -> str:
    """Fragments drawn at random (fixed seed) to `length` characters."""
    generator = random.Random(seed)
    pieces, size = [], 0
    fragments = list(FRAGMENTS.values())
    while size < length:
        piece = generator.choice(fragments)
        pieces.append(piece)
        size += len(piece)
    return "".join(pieces)[:length]
