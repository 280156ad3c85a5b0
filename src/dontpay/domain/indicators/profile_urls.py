"""Profile and payment links that name an account: `instagram.com/name`, `t.me/name`, `wa.me/44…`.

Such a link is the handle itself, so a report holding the link and one holding `@name` link to each
other. Paths that are pages of the platform rather than accounts (`instagram.com/explore`,
`x.com/home`, `t.me/joinchat/…`) are not handles, and invite links (`discord.gg`) never are.
"""

import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

from .indicator import InvalidIndicator
from .phone import canonical_phone
from .platforms import check_username
from .url import URL_CHARACTERS, trim_url_end


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_RESERVED: dict[str, frozenset[str]] = {
    "instagram": _words(
        "p reel reels explore stories accounts direct tv about developer legal web emails "
        "challenge privacy session oauth graphql api ar static directory topics"
    ),
    "facebook": _words(
        "groups pages events watch marketplace photo photos permalink.php story.php share "
        "sharer sharer.php login login.php help policies privacy settings gaming reel reels "
        "stories hashtag messages notifications friends search home.php l.php dialog plugins "
        "business ads legal about media video videos public places"
    ),
    "x": _words(
        "home i search explore notifications messages settings login logout signup tos privacy "
        "compose intent share hashtag account download jobs about help"
    ),
    "telegram": _words(
        "joinchat addstickers addemoji addtheme addlist share c s proxy socks iv login "
        "setlanguage bg confirmphone boost invoice giftcode m"
    ),
    "venmo": _words(
        "u about legal signup login account business pay card resources help privacy blog send "
        "code referral"
    ),
}

_HOSTS: dict[str, str] = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "snapchat.com": "snapchat",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.me": "facebook",
    "tiktok.com": "tiktok",
    "x.com": "x",
    "twitter.com": "x",
    "t.me": "telegram",
    "telegram.me": "telegram",
    "telegram.dog": "telegram",
    "discord.com": "discord",
    "discordapp.com": "discord",
    "wa.me": "whatsapp",
    "whatsapp.com": "whatsapp",
    "paypal.me": "paypal",
    "paypal.com": "paypal",
    "cash.app": "cashapp",
    "cash.me": "cashapp",
    "venmo.com": "venmo",
    "revolut.me": "revolut",
}
_HOST_PATTERN = "|".join(re.escape(host) for host in sorted(_HOSTS, key=len, reverse=True))
_PROFILE_URL = re.compile(
    rf"(?<![\w@./-])(?:https?://)?(?:[a-z0-9-]+\.)*(?:{_HOST_PATTERN})(?::\d+)?/{URL_CHARACTERS}*",
    re.IGNORECASE,
)


def _first_segment(platform: str) -> Callable[[list[str], dict[str, list[str]]], str | None]:
    def name(segments: list[str], query: dict[str, list[str]]) -> str | None:
        if segments[0] == "_u" and len(segments) > 1:  # instagram's app deep link
            return segments[1]
        return None if segments[0].lower() in _RESERVED.get(platform, ()) else segments[0]

    return name


def _snapchat(segments: list[str], query: dict[str, list[str]]) -> str | None:
    if segments[0].lower() == "add" and len(segments) > 1:
        return segments[1]
    return segments[0][1:] if segments[0].startswith("@") else None


def _facebook(segments: list[str], query: dict[str, list[str]]) -> str | None:
    if segments[0].lower() == "profile.php":
        return query.get("id", [None])[0]
    if segments[0].lower() == "people" and len(segments) > 2:
        return segments[2]
    return _first_segment("facebook")(segments, query)


def _tiktok(segments: list[str], query: dict[str, list[str]]) -> str | None:
    return segments[0][1:] if segments[0].startswith("@") else None


def _discord(segments: list[str], query: dict[str, list[str]]) -> str | None:
    return segments[1] if segments[0].lower() == "users" and len(segments) > 1 else None


def _whatsapp(segments: list[str], query: dict[str, list[str]]) -> str | None:
    if segments[0].lower() == "send":
        return query.get("phone", [None])[0]
    return segments[0] if segments[0].lstrip("+").isdigit() else None


def _paypal(segments: list[str], query: dict[str, list[str]]) -> str | None:
    if segments[0].lower() == "paypalme" and len(segments) > 1:
        return segments[1]
    return segments[0]


def _cashapp(segments: list[str], query: dict[str, list[str]]) -> str | None:
    return segments[0][1:] if segments[0].startswith("$") else None


def _venmo(segments: list[str], query: dict[str, list[str]]) -> str | None:
    if segments[0].lower() == "u" and len(segments) > 1:
        return segments[1]
    return _first_segment("venmo")(segments, query)


_NAME_IN_PATH: dict[str, Callable[[list[str], dict[str, list[str]]], str | None]] = {
    "instagram": _first_segment("instagram"),
    "snapchat": _snapchat,
    "facebook": _facebook,
    "tiktok": _tiktok,
    "x": _first_segment("x"),
    "telegram": _first_segment("telegram"),
    "discord": _discord,
    "whatsapp": _whatsapp,
    "paypal": _paypal,
    "cashapp": _cashapp,
    "venmo": _venmo,
    "revolut": _first_segment("revolut"),
}


def handle_from_profile_url(url: str) -> tuple[str, str]:
    """(platform, canonical handle) named by a profile link, or `InvalidIndicator`."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = (parts.hostname or "").lower()
    platform = next(
        (name for suffix, name in _HOSTS.items() if host == suffix or host.endswith(f".{suffix}")),
        None,
    )
    segments = [segment for segment in parts.path.split("/") if segment]
    if platform is None or not segments:
        raise InvalidIndicator(f"{url!r} is not a profile link of a platform we know")
    name = _NAME_IN_PATH[platform](segments, parse_qs(parts.query))
    if not name:
        raise InvalidIndicator(f"{url!r} is a {platform} page, not an account")
    if platform == "whatsapp":
        return platform, canonical_phone(f"+{name.lstrip('+')}", "ZZ")
    return platform, check_username(platform, name)


def profile_urls(text: str) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(platform, canonical handle, span) for each profile link in `text`."""
    for match in _PROFILE_URL.finditer(text):
        end = trim_url_end(text, match.start(), match.end())
        try:
            platform, name = handle_from_profile_url(text[match.start() : end])
        except InvalidIndicator:
            continue
        yield platform, name, (match.start(), end)
