"""Each platform's own username rules, and the words people use for the platform.

A handle is valid only if its platform could have issued it; this keeps "ig: lol" style noise and
path segments such as `instagram.com/explore` out of the links between reports.
"""

import re
from dataclasses import dataclass

from .indicator import InvalidIndicator


@dataclass(frozen=True)
class UsernameRule:
    """The shape of a username on one platform, as that platform documents it."""

    pattern: re.Pattern[str]
    described: str


def _rule(pattern: str, described: str) -> UsernameRule:
    return UsernameRule(re.compile(pattern), described)


# Patterns apply to the lower-cased name. Sources: each platform's help pages on usernames.
RULES: dict[str, UsernameRule] = {
    "instagram": _rule(
        r"(?!\.)(?!.*\.\.)(?!.*\.$)[a-z0-9._]{1,30}",
        "1-30 letters, digits, '.' or '_', not starting or ending with '.', no '..'",
    ),
    "snapchat": _rule(
        r"[a-z][a-z0-9._-]{1,13}[a-z0-9]",
        "3-15 characters: a letter first, then letters, digits, '.', '_' or '-', "
        "not ending in punctuation",
    ),
    "facebook": _rule(
        r"(?!.*\.php$)(?=.*[a-z])[a-z0-9.]{5,50}|\d{5,20}",
        "at least 5 letters, digits or '.', or a numeric profile id",
    ),
    "tiktok": _rule(r"(?!.*\.$)[a-z0-9._]{2,24}", "2-24 letters, digits, '.' or '_', no final '.'"),
    "x": _rule(r"[a-z0-9_]{1,15}", "1-15 letters, digits or '_'"),
    "telegram": _rule(
        r"[a-z](?!.*__)[a-z0-9_]{3,30}[a-z0-9]",
        "5-32 letters, digits or '_', starting with a letter, not ending with '_'",
    ),
    "skype": _rule(
        r"live:[a-z0-9._-]{1,40}|[a-z][a-z0-9.,_-]{5,31}",
        "6-32 characters starting with a letter (letters, digits, '.', ',', '-', '_'), "
        "or a 'live:' id",
    ),
    "kik": _rule(r"[a-z0-9._]{6,20}", "6-20 letters, digits, '.' or '_'"),
    "discord": _rule(
        r"(?!.*\.\.)[a-z0-9._]{2,32}|\d{17,20}",
        "2-32 lower-case letters, digits, '.' or '_' (no '..'), or a numeric user id",
    ),
    "paypal": _rule(r"[a-z0-9]{1,20}", "1-20 letters or digits"),
    "cashapp": _rule(
        r"[a-z][a-z0-9_]{0,19}", "1-20 letters, digits or '_', starting with a letter"
    ),
    "venmo": _rule(r"[a-z0-9_-]{5,30}", "5-30 letters, digits, '-' or '_'"),
    "revolut": _rule(r"[a-z0-9._-]{3,32}", "3-32 letters, digits, '.', '_' or '-'"),
}

# WhatsApp has no usernames: a WhatsApp handle is the account's phone number in E.164.
PLATFORMS: tuple[str, ...] = (*RULES, "whatsapp")

# The words people write for each platform, matched as whole words, case-insensitively, also in
# leetspeak or letter by letter (`1nsta`, `s.n.a.p`; see lookalikes.py). Bare "x" and "tt" are not
# among them: they are far more often a multiplication sign or a typo ("2 x £50"). Besides
# English: the names as written in Russian, Ukrainian and Arabic (transliterated, with the case
# endings people use: "в инсте", "в телеге"), German "Telegramm", and Snapchat's ghost emoji.
WORDS: dict[str, tuple[str, ...]] = {
    "instagram": (
        "instagram", "insta", "ig", "инстаграм", "инстаграмм", "инста", "инсте", "инсту",
        "инсты", "انستقرام", "انستغرام", "انستجرام", "انستا",
    ),
    "snapchat": (
        "snapchat", "snap", "sc", "👻", "снапчат", "снэпчат", "снап", "снэп", "سناب شات", "سناب",
    ),
    "facebook": ("facebook", "fb", "messenger", "фейсбук", "фейсбуке", "فيسبوك", "فيس بوك"),
    "tiktok": ("tiktok", "tik tok", "тикток", "тиктоке", "تيك توك", "تيكتوك"),
    "x": ("twitter", "x.com", "твиттер", "твиттере", "تويتر"),
    "telegram": (
        "telegram", "telegramm", "tg", "tele", "телеграм", "телеграмм", "телеграме", "телега",
        "телеге", "телегу", "тг", "تيليجرام", "تلغرام", "تليجرام", "تلجرام",
    ),
    "skype": ("skype", "скайп", "скайпе", "سكايب"),
    "kik": ("kik",),
    "discord": ("discord", "дискорд", "дискорде", "ديسكورد"),
    "whatsapp": (
        "whatsapp", "whats app", "wa", "ватсап", "вотсап", "вацап", "ватсапе", "واتساب", "واتس",
    ),
    "paypal": ("paypal", "пейпал", "باي بال"),
    "cashapp": ("cashapp", "cash app"),
    "venmo": ("venmo",),
    "revolut": ("revolut", "revtag", "револют"),
}  # fmt: skip

PLATFORM_BY_WORD: dict[str, str] = {
    word.replace(" ", ""): platform for platform, words in WORDS.items() for word in words
}


def check_username(platform: str, name: str) -> str:
    """The canonical (lower-case) username, or `InvalidIndicator` naming the platform's rule."""
    lowered = name.lower()
    rule = RULES[platform]
    if not rule.pattern.fullmatch(lowered):
        raise InvalidIndicator(f"{name!r} is not a {platform} username ({rule.described})")
    return lowered
