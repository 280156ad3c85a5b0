"""A bounded fuzz of every victim and staff form: no generated request is a server error.

Hypothesis posts (and gets) each form with its own field names and random extra ones, filled
with the values that broke forms before or could: digits of other scripts after action
prefixes, JSON nested deep, NUL and control characters, very long strings, lone surrogates'
neighbours, numbers out of range, dates that do not exist. The victim is signed in to a record
of their own, the staff member is an administrator (every permission). At least 2,000 requests
are made in all (the schemathesis test covers the API's operations); the count is asserted.
"""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dontpay.domain.reports import SECTIONS

from ..accounts.staff import signed_in
from ..cases.factories import sent_report
from ..help.test_report_views import start

pytestmark = pytest.mark.django_db

QUESTIONS = ["where", "when", "age", "feelings", "money", "contact", "apps", "images"]
VICTIM_FORMS: dict[str, tuple[str, ...]] = {
    "/": (),
    **{f"/questions/{slug}/": ("answer",) for slug in QUESTIONS},
    "/plan/": ("step", "done"),
    "/protect/": ("age",),
    "/protect/choose/": ("signals",),
    "/protect/check/": ("case_number", "pin"),
    "/report/": ("under_18",),
    "/report/sign-in/": ("reference", "passphrase"),
    **{
        f"/report/record/{section.slug}/": (*(f.name for f in section.fields), "action")
        for section in SECTIONS
    },
    "/report/evidence/": ("action", "files"),
}
STAFF_FORMS: dict[str, tuple[str, ...]] = {
    "/staff/": ("status", "flag", "mine"),
    "/staff/cases/{reference}/": (
        "status", "assignee", "force", "crime_reference", "offence", "recorded_on",
        "outcome_code", "outcome_date", "payment_made", "amount_paid", "currency",
        "suspect_identified",
    ),
    "/staff/cases/{reference}/notes/": ("text",),
    "/staff/statistics/": ("from", "to", "suppress"),
    "/staff/intel/search/": ("q",),
    "/staff/intel/warninglist/": ("type", "value", "match", "reason"),
    "/staff/audit/": ("format",),
    "/staff/login/": ("username", "password", "code"),
}  # fmt: skip
HOSTILE = st.sampled_from(
    [
        "remove-²", "remove-٣", "profile-¹", "remove-" + "9" * 30, "not-profile-0x1",
        "[" * 3000 + "]" * 3000, '{"a":' * 2000 + "1" + "}" * 2000, "\x00", "\x00abc",
        "2026-02-30", "9999-99-99", "-1", "1e309", "NaN", "١٢٣", "$a " * 3000,
        "o'brien@example.com", "'; DROP TABLE x;--", "<script>x</script>", "\u202e", "\ufeff",
        "%s%n%x", "../../etc/passwd", "a" * 60_000, "ü" * 400, "true", "", " ",
    ]
)  # fmt: skip
VALUES = st.one_of(HOSTILE, st.text(max_size=40), st.integers().map(str))
REQUESTS_PER_GROUP = 1050
made = {"requests": 0}


def fields_for(names: tuple[str, ...]) -> st.SearchStrategy[dict[str, str]]:
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(names, VALUES))
    extra = st.dictionaries(st.text(min_size=1, max_size=8), VALUES, max_size=2)
    return st.builds(lambda a, b: {**b, **a}, known, extra)


def request(client: Client, method: str, path: str, data: dict[str, str]) -> int:
    made["requests"] += 1
    if method == "get":
        return client.get(path, {k: v[:2000] for k, v in data.items()}).status_code
    return client.post(path, data).status_code


def fuzz(client: Client, forms: dict[str, tuple[str, ...]]) -> None:
    """`REQUESTS_PER_GROUP` generated requests to `forms`, none a server error (two groups:
    2,100 requests in all, counted, as each group may run in its own test process)."""
    before = made["requests"]

    @settings(
        max_examples=REQUESTS_PER_GROUP,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        st.sampled_from(sorted(forms)).flatmap(
            lambda path: st.tuples(
                st.just(path), st.sampled_from(["get", "post"]), fields_for(forms[path])
            )
        )
    )
    def no_server_error(generated: tuple[str, str, dict[str, str]]) -> None:
        path, method, data = generated
        status = request(client, method, path, data)
        assert status < 500, (method, path, data)

    no_server_error()
    assert made["requests"] - before >= REQUESTS_PER_GROUP


def test_no_victim_form_answers_a_server_error(client: Client) -> None:
    start(client)
    client.post("/report/record/who/", {"platform": "instagram", "username": "x", "action": "add"})
    fuzz(client, VICTIM_FORMS)


def test_no_staff_form_answers_a_server_error() -> None:
    reference = sent_report("GB", under_18=False).reference
    forms = {path.format(reference=reference): names for path, names in STAFF_FORMS.items()}
    fuzz(signed_in("admin"), forms)
