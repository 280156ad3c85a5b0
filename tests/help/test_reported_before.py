"""The person is told when other reports mention a payment account they were given: a count,
calm advice, and nothing at all from those other reports."""

import re

import pytest
from django.test import Client

WALLET = "bc1qygeveepctc2fs4w3w3tpevazqkytarc2388l77"
MESSAGE = "This payment account has been reported {} before."

# Saving the record indexes it once committed, as in production: these tests need real commits.
pytestmark = pytest.mark.django_db(transaction=True)


def start(client: Client, *, linked: bool = True) -> str:
    client.post("/report/", {"under_18": "no"})
    response = client.get("/report/saved/")
    if linked:
        client.post("/report/linking/", {"linking": "yes"})
    return re.search(r'data-testid="reference">([^<]+)<', response.content.decode())[1]  # type: ignore[index]


def add_payment_detail(client: Client, value: str, note: str = "", action: str = "add") -> str:
    response = client.post(
        "/report/record/payment-details/",
        {"kind": "crypto-wallet", "value": value, "note": note, "action": action},
    )
    assert response.status_code == 302
    return response["Location"]


def test_a_wallet_reported_before_is_counted_whatever_its_spelling() -> None:
    first, second = Client(), Client()
    first_reference = start(first)
    first.post(
        "/report/record/messages/",
        {"text": "Send it to Jamie Secret on 07911 123456", "action": "continue"},
    )
    assert add_payment_detail(
        first, WALLET, note="Name on account: J Secret", action="continue"
    ) == ("/report/record/payments/")
    assert "has been reported" not in first.get("/report/record/payment-details/").content.decode()

    start(second)
    spelled = f" {WALLET.upper()} "
    after_saving = add_payment_detail(second, spelled, action="continue")
    assert after_saving == "/report/record/payment-details/?saved=1"
    for page in (second.get(after_saving), second.get("/report/record/")):
        text = page.content.decode()
        assert MESSAGE.format("1 time") in text
        assert WALLET.upper() in text  # as the person typed it
        assert "organised criminal group" in text
        assert "do not pay, stop all contact with them, and report it" in text
        for theirs in (first_reference, WALLET, "Secret", "07911", "Jamie"):
            assert theirs not in text
    assert 'href="/report/record/payments/"' in second.get(after_saving).content.decode()

    third = Client()
    start(third)
    add_payment_detail(third, WALLET)
    assert MESSAGE.format("2 times") in third.get("/report/record/").content.decode()
    assert MESSAGE.format("2 times") in first.get("/report/record/").content.decode()


def test_nothing_is_said_about_an_account_no_one_else_reported() -> None:
    client = Client()
    start(client)
    assert add_payment_detail(client, WALLET, action="continue") == "/report/record/payments/"
    assert "has been reported" not in client.get("/report/record/").content.decode()
    page = client.get("/report/record/payment-details/?saved=1").content.decode()
    assert "govuk-notification-banner" not in page


def test_a_record_without_consent_to_link_is_told_but_never_counted() -> None:
    first, private, third = Client(), Client(), Client()
    start(first)
    add_payment_detail(first, WALLET, action="continue")
    start(private, linked=False)
    add_payment_detail(private, WALLET, action="continue")
    # The private record is still told about the consenting one...
    assert MESSAGE.format("1 time") in private.get("/report/record/").content.decode()
    # ...but it counts for nobody else.
    start(third)
    add_payment_detail(third, WALLET)
    assert MESSAGE.format("1 time") in third.get("/report/record/").content.decode()
    assert MESSAGE.format("1 time") in first.get("/report/record/").content.decode()
