"""Limits hold in total across web processes: two real `dontpay serve` processes on one
database and one Redis allow a platform token its rate once, not once each, and count guesses
at a passphrase or a PIN together."""

import re
import time

import httpx
import pytest

from dontpay.bank.submissions import MAX_FAILURES_PER_CASE, submit_signals
from dontpay.bank.tokens import create_token
from dontpay.cases.reports import PASSPHRASE_GUESSES, create_report
from tests.processes import REDIS_URL, WebProcess, web_processes

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
RATE = 12


def match_statuses(webs: list[WebProcess], name: str, requests: int) -> list[int]:
    """Statuses of `requests` match calls spread over the processes with a new token, all
    within one of the API's one-minute windows (a batch that straddles two is sent again)."""
    body = {"signals": [{"type": "pdq", "value": PHOTO}]}
    for _ in range(3):
        headers = {"Authorization": f"Bearer {create_token(name, ['match']).secret}"}
        window = int(time.time() // 60)
        statuses = []
        for number in range(requests):
            url = f"{webs[number % len(webs)].url}api/v1/match"
            statuses.append(httpx.post(url, json=body, headers=headers, timeout=30).status_code)
        if int(time.time() // 60) == window:
            return statuses
    raise AssertionError("every batch straddled a minute boundary")


def test_the_api_rate_holds_in_total_across_processes_sharing_redis() -> None:
    limits = {"DONTPAY_API_RATE": str(RATE)}
    with web_processes(2, {**limits, "DONTPAY_REDIS_URL": REDIS_URL}) as webs:
        statuses = match_statuses(webs, "Shared platform", 3 * RATE)
    assert statuses.count(200) == RATE
    assert statuses.count(429) == 2 * RATE
    # The same two processes without Redis each count alone: twice the rate gets through.
    with web_processes(2, limits) as webs:
        statuses = match_statuses(webs, "Unshared platform", 3 * RATE)
    assert statuses.count(200) == 2 * RATE


def post_form(client: httpx.Client, url: str, fields: dict[str, str]) -> httpx.Response:
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, "the form has no CSRF token"
    return client.post(url, data={**fields, "csrfmiddlewaretoken": token[1]})


def test_guesses_at_a_passphrase_or_a_pin_are_counted_together_across_processes() -> None:
    new = create_report()
    reference = new.report.reference
    submission = submit_signals([("pdq", PHOTO, 90)], "web")
    with web_processes(2, {"DONTPAY_REDIS_URL": REDIS_URL}) as webs:
        clients = [httpx.Client(base_url=web.url, timeout=30) for web in webs]
        for number in range(PASSPHRASE_GUESSES.per_client):
            wrong = post_form(
                clients[number % 2],
                "/report/sign-in/",
                {"reference": reference, "passphrase": f"wrong guess {number}"},
            )
            assert "not right" in wrong.text
        for client in clients:  # the next guess is refused by either process, even a right one
            refused = post_form(
                client, "/report/sign-in/", {"reference": reference, "passphrase": new.passphrase}
            )
            assert "Too many attempts" in refused.text
            assert "/report/record/" not in str(refused.url)

        for number in range(MAX_FAILURES_PER_CASE):
            wrong = post_form(
                clients[number % 2],
                "/protect/check/",
                {"case_number": submission.case_number, "pin": f"{number:06d}"},
            )
            assert "not right" in wrong.text
        for client in clients:
            refused = post_form(
                client,
                "/protect/check/",
                {"case_number": submission.case_number, "pin": submission.pin},
            )
            assert "Too many attempts" in refused.text
        for client in clients:
            client.close()
