from pathlib import Path

import pytest

from dontpay.domain import indicators
from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators


def keys(text: str) -> list[str]:
    return [indicator.key for indicator in find_indicators(text)]


def test_at_name_and_profile_link_are_one_key() -> None:
    typed = canonical_indicator("handle", "@Some.Name", platform="instagram")
    [found] = find_indicators("https://www.instagram.com/Some.Name/?igshid=x")
    assert typed.key == found.key == "handle:instagram:some.name"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("add me on insta @some.name", "handle:instagram:some.name"),
        ("@some.name on ig", "handle:instagram:some.name"),
        ("ig: some.name", "handle:instagram:some.name"),
        ("Snap: Dan_Smith", "handle:snapchat:dan_smith"),
        ("sc - dan.smith", "handle:snapchat:dan.smith"),
        ("my snapchat username is dan-smith", "handle:snapchat:dan-smith"),
        ("my discord is night.owl", "handle:discord:night.owl"),
        ("telegram @Night_Owl99", "handle:telegram:night_owl99"),
        ("kik: lonely_boy", "handle:kik:lonely_boy"),
        ("skype: live:.cid.1a2b3c", "handle:skype:live:.cid.1a2b3c"),
        ("venmo @Jane-Doe", "handle:venmo:jane-doe"),
        ("cashapp: $JaneDoe", "handle:cashapp:janedoe"),
        ("send it to $JaneDoe now", "handle:cashapp:janedoe"),
        ("instagram.com/some.name", "handle:instagram:some.name"),
        ("http://instagr.am/_u/some.name", "handle:instagram:some.name"),
        ("https://www.snapchat.com/add/dan.smith?share_id=1", "handle:snapchat:dan.smith"),
        ("https://m.facebook.com/jane.doe.5", "handle:facebook:jane.doe.5"),
        ("facebook.com/profile.php?id=100012345678", "handle:facebook:100012345678"),
        ("https://www.tiktok.com/@some.name?lang=en", "handle:tiktok:some.name"),
        ("https://twitter.com/SomeName/status/1", "handle:x:somename"),
        ("x.com/SomeName", "handle:x:somename"),
        ("t.me/Night_Owl99", "handle:telegram:night_owl99"),
        ("https://discord.com/users/123456789012345678", "handle:discord:123456789012345678"),
        ("https://wa.me/447911123456?text=hi", "handle:whatsapp:+447911123456"),
        ("api.whatsapp.com/send?phone=447911123456", "handle:whatsapp:+447911123456"),
        ("https://paypal.me/JaneDoe/25GBP", "handle:paypal:janedoe"),
        ("https://www.paypal.com/paypalme/JaneDoe", "handle:paypal:janedoe"),
        ("https://cash.app/$JaneDoe", "handle:cashapp:janedoe"),
        ("venmo.com/u/Jane-Doe", "handle:venmo:jane-doe"),
        ("venmo.com/Jane-Doe", "handle:venmo:jane-doe"),
        ("revolut.me/janedoe", "handle:revolut:janedoe"),
    ],
)
def test_handles(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_profile_link_is_not_also_a_url() -> None:
    assert [i.type for i in find_indicators("https://www.instagram.com/some.name/")] == ["handle"]


def test_whatsapp_link_is_a_handle_not_a_phone() -> None:
    assert keys("wa.me/447911123456") == ["handle:whatsapp:+447911123456"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("https://www.instagram.com/p/Cabc123/", "url::https://www.instagram.com/p/Cabc123"),
        ("https://www.instagram.com/explore/", "url::https://www.instagram.com/explore"),
        ("https://www.instagram.com/reels/x/", "url::https://www.instagram.com/reels/x"),
        ("https://x.com/home", "url::https://x.com/home"),
        ("https://x.com/i/flow/login", "url::https://x.com/i/flow/login"),
        ("https://twitter.com/search?q=x", "url::https://twitter.com/search?q=x"),
        ("https://t.me/joinchat/AbC", "url::https://t.me/joinchat/AbC"),
        ("https://t.me/+AbCdEf", "url::https://t.me/+AbCdEf"),
        ("https://discord.gg/abcdef", "url::https://discord.gg/abcdef"),
        ("https://www.facebook.com/groups/123", "url::https://www.facebook.com/groups/123"),
        ("https://www.tiktok.com/explore", "url::https://www.tiktok.com/explore"),
    ],
)
def test_platform_pages_are_urls_not_handles(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize(
    "text",
    [
        "thanks @everyone",  # no platform word nearby
        "instagram.com/.dot.first",  # instagram names do not start with '.'
        "instagram.com/two..dots",
        "snap: 1dan",  # snapchat names start with a letter
        "my telegram is abc",  # telegram names are at least 5 characters
        "x: this_name_is_far_too_long_for_x",
        "send $500 or $1,000 or $5k",
        "price in $USD",
        "the x-ray showed it",
        "my ig is",
        "fox.com/name and netflix.com/name",
    ],
)
def test_not_handles(text: str) -> None:
    assert [i for i in find_indicators(text) if i.type == "handle"] == []


def test_platform_word_on_another_line_does_not_count() -> None:
    assert keys("I use instagram\n@somebody said hi") == []


def test_canonical_handle() -> None:
    assert canonical_indicator("handle", "$JaneDoe", platform="cashapp").value == "janedoe"
    assert canonical_indicator("handle", "t.me/Night_Owl99", platform="telegram").value == (
        "night_owl99"
    )
    whatsapp = canonical_indicator("handle", "07911 123456", platform="whatsapp")
    assert whatsapp.value == "+447911123456"
    assert canonical_indicator("handle", "wa.me/447911123456", platform="whatsapp").value == (
        "+447911123456"
    )


@pytest.mark.parametrize(
    ("value", "platform", "reason"),
    [
        ("some.name", None, "platform: None is not one we know"),
        ("some.name", "myspace", "platform: 'myspace' is not one we know"),
        ("some..name", "instagram", "is not a instagram username"),
        ("https://x.com/somename", "instagram", "is a x link, not instagram"),
        ("https://www.instagram.com/explore/", "instagram", "is a instagram page, not an account"),
        ("https://discord.gg/abc", "discord", "not a profile link of a platform we know"),
    ],
)
def test_canonical_handle_reasons(value: str, platform: str | None, reason: str) -> None:
    with pytest.raises(InvalidIndicator, match=reason):
        canonical_indicator("handle", value, platform=platform)


@pytest.mark.parametrize(
    "text",
    [
        "my snap is gone",
        "my instagram is private now",
        "my facebook is deactivated",
        "my discord is banned",
        "my insta is hacked, my tiktok is blocked and my kik is deleted",
        "IG: the guy messaged me",
        "screenshot of snap: yesterday he said",
        "paypal: friends and family",
        "my paypal is empty",
        "i was on tele - maybe later",
        "SNAP: Today",
    ],
)
def test_common_words_after_a_label_are_not_handles(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("my snap is lucy_x99", "handle:snapchat:lucy_x99"),
        ("my discord is darkknight_77", "handle:discord:darkknight_77"),
        ("my discord is night.owl", "handle:discord:night.owl"),
        ("my snap is danbrown", "handle:snapchat:danbrown"),
        ("my telegram is later_99", "handle:telegram:later_99"),
        ("telegram @yesterday", "handle:telegram:yesterday"),  # written as @name: meant as one
        ("add me on snap @gone", "handle:snapchat:gone"),
        ("cashapp: $family", "handle:cashapp:family"),
    ],
)
def test_names_after_a_label_that_are_still_handles(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize(
    "text",
    [
        "he said 2 x £50 to @bigdan",
        "@lucy_x sent 3 x photos",
        "reply @johnny or tt",
        "he said x = 10 dollars",
        "x: bigdan",
    ],
)
def test_bare_x_and_tt_are_not_platform_words(text: str) -> None:
    assert keys(text) == []


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("twitter @bigdan", "handle:x:bigdan"),
        ("x.com @bigdan", "handle:x:bigdan"),
        ("tiktok: lucy_x", "handle:tiktok:lucy_x"),
        ("add me on tik tok @lucy_x", "handle:tiktok:lucy_x"),
    ],
)
def test_full_names_of_x_and_tiktok_are_platform_words(text: str, key: str) -> None:
    assert keys(text) == [key]


@pytest.mark.parametrize(
    "code", ["GBP", "EUR", "JPY", "CHF", "INR", "gbp", "Eur", "USD", "CAD", "XAU", "ZAR"]
)
def test_currency_codes_are_not_cashtags(code: str) -> None:
    assert keys(f"he wants 500 ${code} now") == []


@pytest.mark.parametrize("ticker", ["BTC", "eth", "USDT", "usdc"])
def test_crypto_tickers_are_not_cashtags(ticker: str) -> None:
    assert keys(f"send it in ${ticker}") == []


def test_payment_handles_in_a_demand() -> None:
    text = "send £300 to my cashapp $JohnDoe or paypal.me/jdoe99 by 10pm"
    assert keys(text) == ["handle:cashapp:johndoe", "handle:paypal:jdoe99"]


def test_common_words_list_is_one_lower_case_word_a_line_without_repeats() -> None:
    listed = (Path(indicators.__file__).parent / "common_words.txt").read_text(encoding="utf-8")
    words = [line for line in listed.splitlines() if not line.startswith("#")]
    assert all(word.isalpha() and word.islower() for word in words)
    assert len(words) == len(set(words)) > 300
