"""Matching indicators against warninglist rules."""

from dontpay.domain.correlate import DOMAIN, Warninglist, WarninglistRule

RULES = Warninglist(
    [
        WarninglistRule("email", "instagram.com", DOMAIN),
        WarninglistRule("url", "instagram.com", DOMAIN),
        WarninglistRule("crypto_address", "bc1qexample"),
        WarninglistRule("handle", "snapchat:jess.x.2009"),
    ]
)


def test_a_domain_entry_covers_its_subdomains_but_not_lookalikes() -> None:
    assert RULES.matches("email", "no-reply@mail.instagram.com")
    assert RULES.matches("url", "https://help.instagram.com/contact")
    assert not RULES.matches("email", "someone@notinstagram.com")
    assert not RULES.matches("email", "instagram.com@gmail.com")
    assert not RULES.matches("phone", "instagram.com")


def test_an_exact_entry_covers_only_that_value_and_platform() -> None:
    assert RULES.matches("crypto_address", "bc1qexample", "btc")
    assert RULES.matches("handle", "jess.x.2009", "snapchat")
    assert not RULES.matches("handle", "jess.x.2009", "instagram")
    assert not RULES.matches("crypto_address", "bc1qexample2", "btc")
