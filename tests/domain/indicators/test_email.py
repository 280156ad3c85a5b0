import pytest

from dontpay.domain.indicators import InvalidIndicator, canonical_indicator, find_indicators

KEY = "email::jo.bloggs@example.co.uk"


@pytest.mark.parametrize(
    "text",
    [
        "Jo.Bloggs@Example.CO.UK",
        "mail jo.bloggs@example.co.uk, now",
        "jo.bloggs [at] example [dot] co [dot] uk",
        "jo.bloggs (at) example (dot) co (dot) uk",
        "jo.bloggs{at}example{dot}co{dot}uk",
        "jo.bloggs [at] example.co.uk",
        "jo.bloggs at example dot co dot uk",
        "JO.BLOGGS AT EXAMPLE DOT CO DOT UK",
        "mailto:jo.bloggs@example.co.uk?subject=money",
    ],
)
def test_spellings_are_one_key(text: str) -> None:
    assert [indicator.key for indicator in find_indicators(text)] == [KEY]


@pytest.mark.parametrize(
    "text",
    [
        "see you at home, dot the i's",
        "look at example dot notarealsuffix",
        "jo at example",
        "@example.com",
        "jo@localhost",
        "jo..bloggs@example.com",
        "jo@-example.com",
        "photo@2x.jpg logo@3x.webp",  # retina image names
        "icon@2x.png, banner@1.5x.gif and hero@2x.jpeg",
        "jo@example.notarealsuffix",
    ],
)
def test_not_emails(text: str) -> None:
    assert [i for i in find_indicators(text) if i.type == "email"] == []


def test_addresses_on_country_and_new_suffixes_are_found() -> None:
    found = find_indicators("jo@example.io, jo@shop.example.co.uk and jo@example.app")
    assert [i.value for i in found] == ["jo@example.io", "jo@shop.example.co.uk", "jo@example.app"]


def test_email_domain_is_not_also_a_url() -> None:
    assert [i.key for i in find_indicators("jo@www.example.com")] == ["email::jo@www.example.com"]


def test_canonical_email() -> None:
    assert canonical_indicator("email", " Jo@Example.com ").value == "jo@example.com"
    assert canonical_indicator("email", "mailto:Jo@Example.com?x=1").value == "jo@example.com"
    assert canonical_indicator("email", "jo [at] example [dot] com").value == "jo@example.com"
    with pytest.raises(InvalidIndicator, match="not an email address"):
        canonical_indicator("email", "jo@")
