"""The bank's administration page: quarantined entries to release, and matches and feedback
per entry; administrators only."""

import pytest
from django.core.cache import cache
from django.test import Client

from dontpay.accounts.models import AuditEvent
from dontpay.bank.feedback import give_feedback
from dontpay.bank.flood import count_matches
from dontpay.bank.models import BankEntry, EntryQuarantine
from dontpay.bank.submissions import submit_signals
from dontpay.bank.tokens import create_token
from tests.accounts.staff import signed_in

from .conftest import OTHER, PHOTO, ApiClient

pytestmark = pytest.mark.django_db


def row(page: str, entry: int) -> str:
    start = page.index(f'data-entry="{entry}"')
    return page[start : page.index("</tr>", start)]


def test_an_administrator_sees_counts_and_releases_a_quarantined_entry(
    api: ApiClient, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_FLOOD_MATCHES = 4
    submit_signals([("pdq", PHOTO, 100), ("pdq", OTHER, 100)], "web")
    photo, other = (BankEntry.objects.get(value=v).pk for v in (PHOTO, OTHER))
    for name, verdict in (("A", "confirmed"), ("B", "confirmed"), ("C", "false_positive")):
        platform = create_token(f"Platform {name}", ["match", "feedback"])
        ApiClient(platform.secret).match(OTHER)  # three matches, one each
        give_feedback(platform.token, other, verdict)
    assert count_matches({photo: 5}) == {photo}

    admin = signed_in("admin")
    page = admin.get("/staff/bank/").text
    assert "Hash bank" in page
    quarantined = page[page.index('data-testid="quarantined"') :]
    assert f'Release<span class="govuk-visually-hidden"> entry {photo}' in quarantined
    assert "5 in 600 s" in quarantined
    cells = row(page, other)
    assert ">3</td>" in cells  # matches
    assert ">2</td>" in cells  # confirmed
    assert ">1</td>" in cells  # false positive
    assert "Quarantined" in row(page, photo)

    released = admin.post(f"/staff/bank/entries/{photo}/release/")
    assert released.status_code == 302
    assert not EntryQuarantine.objects.get(entry_id=photo).active
    assert AuditEvent.objects.filter(action="bank.released", target=f"bank entry {photo}").exists()
    page = admin.get(released["Location"]).text
    assert f"Entry {photo} released" in page
    assert "No entry is quarantined." in page
    assert len(api.match(PHOTO).json()["results"][0]["matches"]) == 1
    assert admin.post(f"/staff/bank/entries/{photo}/release/").status_code == 404


def test_only_administrators_see_the_bank() -> None:
    cache.clear()
    for role in ("caseworker", "analyst"):
        client = signed_in(role)
        assert client.get("/staff/bank/").status_code == 403
        assert client.post("/staff/bank/entries/1/release/").status_code == 403
    assert Client().get("/staff/bank/")["Location"] == "/staff/login/?next=/staff/bank/"
