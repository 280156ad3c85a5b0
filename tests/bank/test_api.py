"""The platform API end to end, through Django's test client with real tokens."""

import base64
import json

import pytest
from django.test import Client

from dontpay.bank.feed import encode_cursor
from dontpay.bank.models import SignalChange
from dontpay.bank.submissions import check_submission, submit_signals, withdraw_submission
from dontpay.bank.tokens import revoke_token

from .conftest import OTHER, PHOTO, ApiClient, flip_bits

pytestmark = pytest.mark.django_db

VIDEO = [f"{n},100,{flip_bits(PHOTO, 0) if n % 2 else OTHER},{n}.000" for n in range(4)]


def matches(response) -> list[list[tuple[int, int]]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [[(m["entry"], m["distance"]) for m in r["matches"]] for r in response.json()["results"]]


def problem(response, status: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    return body


def test_match_finds_an_added_hash_within_31_bits_and_not_a_far_one(api: ApiClient) -> None:
    submit_signals([("pdq", PHOTO, 90)], "web")
    found = matches(api.match(PHOTO, flip_bits(PHOTO, 31), flip_bits(PHOTO, 32), OTHER))
    assert [len(result) for result in found] == [1, 1, 0, 0]
    assert found[0][0][1] == 0
    assert found[1][0][1] == 31


def test_a_submission_is_matched_by_the_very_next_request(api: ApiClient) -> None:
    assert matches(api.match(PHOTO)) == [[]]  # the index is loaded, and empty
    submit_signals([("pdq", PHOTO, 90)], "web")
    assert len(matches(api.match(PHOTO))[0]) == 1


def test_withdrawal_stops_matching_at_once(api: ApiClient) -> None:
    new = submit_signals([("pdq", PHOTO, 90), ("pdq", OTHER, 80)], "web")
    assert all(matches(api.match(PHOTO, OTHER)))
    submission = check_submission(new.case_number, new.pin, "client")
    assert submission is not None
    withdraw_submission(submission)
    assert matches(api.match(PHOTO, OTHER)) == [[], []]


def test_an_entry_held_by_another_submission_stays_matched(api: ApiClient) -> None:
    first = submit_signals([("pdq", PHOTO, 90)], "web")
    submit_signals([("pdq", PHOTO, 90)], "web")
    submission = check_submission(first.case_number, first.pin, "client")
    assert submission is not None
    withdraw_submission(submission)
    assert len(matches(api.match(PHOTO))[0]) == 1


def test_video_match_finds_a_banked_video_and_reports_shares(api: ApiClient) -> None:
    submit_signals([("vpdq", "\n".join(VIDEO), 0)], "web")
    query = [
        {"frame_number": n, "quality": 100, "hash": flip_bits(PHOTO if n % 2 else OTHER, 5),
         "timestamp": float(n)}
        for n in range(6)
    ]  # fmt: skip
    response = api.post("/api/v1/match/video", {"features": query})
    assert response.status_code == 200, response.content
    [match] = response.json()["matches"]
    assert match["query_share"] == 1.0
    assert match["bank_share"] == 1.0
    unrelated = [{**feature, "hash": flip_bits(feature["hash"], 100)} for feature in query]
    response = api.post("/api/v1/match/video", {"features": unrelated})
    assert response.json() == {"matches": []}


def test_a_missing_token_is_401_problem_json() -> None:
    response = ApiClient(None).match(PHOTO)
    body = problem(response, 401)
    assert "Authorization: Bearer" in str(body["detail"])
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unknown_token_is_401() -> None:
    problem(ApiClient("dpt_XXXXXXXX_not-a-real-token").match(PHOTO), 401)


def test_a_revoked_token_is_401_at_once(token) -> None:  # type: ignore[no-untyped-def]
    client = ApiClient(token("match"))
    assert client.match(PHOTO).status_code == 200
    assert revoke_token(str(client.secret)[:12]) is not None
    problem(client.match(PHOTO), 401)


def test_a_token_without_the_scope_is_403(token) -> None:  # type: ignore[no-untyped-def]
    feed_only = ApiClient(token("signals"))
    match_only = ApiClient(token("match"))
    assert "'match' scope" in str(problem(feed_only.match(PHOTO), 403)["detail"])
    problem(match_only.get("/api/v1/signals"), 403)
    problem(match_only.get("/api/v1/bank/export"), 403)
    assert feed_only.get("/api/v1/signals").status_code == 200


def test_too_many_requests_is_429_with_retry_after(api: ApiClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DONTPAY_API_RATE = 3
    for _ in range(3):
        assert api.match(PHOTO).status_code == 200
    response = api.match(PHOTO)
    problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("f" * 63, "signals[1].value: PDQ hash has 63 characters; expected 64 hex digits"),
        ("g" + "f" * 63, "signals[1].value: PDQ hash has a non-hex character 'g' at position 1"),
        ("", "signals[1].value: PDQ hash is empty; expected 64 hex digits"),
    ],
)
def test_bad_hashes_are_422_naming_the_field(api: ApiClient, value: str, message: str) -> None:
    body = problem(api.match(PHOTO, value), 422)
    assert body["errors"] == [message]
    assert body["detail"] == message


def test_unknown_types_and_missing_fields_are_422(api: ApiClient) -> None:
    body = problem(
        api.post(
            "/api/v1/match",
            {"signals": [{"type": "md5", "value": PHOTO}, {"type": "vpdq", "value": PHOTO}, {}]},
        ),
        422,
    )
    assert body["errors"] == [
        "signals[0].type: unknown signal type 'md5'; this endpoint matches pdq",
        "signals[1].type: unknown signal type 'vpdq'; this endpoint matches pdq "
        "(videos: POST /api/v1/match/video)",
        "signals[2].type: required",
        "signals[2].value: required",
    ]
    assert problem(api.post("/api/v1/match", [PHOTO]), 422)["errors"] == [
        "body: expected a JSON object"
    ]


def test_more_than_1000_signals_is_refused_saying_the_limit(api: ApiClient) -> None:
    body = problem(api.match(*[PHOTO] * 1001), 422)
    assert body["errors"] == ["signals: at most 1000 items, got 1001"]
    assert len(matches(api.match(*[PHOTO] * 1000))) == 1000


def test_malformed_json_is_400(api: ApiClient) -> None:
    body = problem(api.post("/api/v1/match", '{"signals": ['), 400)
    assert "not valid JSON" in str(body["detail"])


def test_a_body_that_is_not_json_is_415(api: ApiClient) -> None:
    body = problem(api.post("/api/v1/match", "signals=x", "application/x-www-form-urlencoded"), 415)
    assert "application/json" in str(body["detail"])
    problem(api.post("/api/v1/bank/import", f"pdq {PHOTO}", "application/json"), 415)


def test_the_api_sets_no_cookies_and_needs_no_csrf_token(api: ApiClient) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/match",
        json.dumps({"signals": [{"type": "pdq", "value": PHOTO}]}),
        content_type="application/json",
        headers=api.headers(),
    )
    assert response.status_code == 200
    assert not response.cookies


def test_the_schema_is_published_without_a_docs_page(api: ApiClient) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/match",
        "/api/v1/match/dihedral",
        "/api/v1/match/video",
        "/api/v1/signals",
        "/api/v1/bank/export",
        "/api/v1/bank/import",
        "/api/v1/feedback/{entry}",
    }
    assert Client().get("/api/v1/docs").status_code == 404


def test_the_feed_lists_additions_and_withdrawals_in_order_with_paging(api: ApiClient) -> None:
    first = submit_signals([("pdq", PHOTO, 90), ("pdq", OTHER, 90)], "web")
    submission = check_submission(first.case_number, first.pin, "client")
    assert submission is not None
    withdraw_submission(submission)
    submit_signals([("pdq", PHOTO, 90)], "web")  # the same entry, live again

    seen, cursor, pages = [], "", 0
    while True:
        page = api.get("/api/v1/signals", since=cursor, limit=2).json()
        seen += [(change["value"], change["change"]) for change in page["changes"]]
        cursor, pages = page["next"], pages + 1
        if not page["more"]:
            break
    assert seen == [
        (PHOTO, "added"),
        (OTHER, "added"),
        (PHOTO, "withdrawn"),
        (OTHER, "withdrawn"),
        (PHOTO, "added"),
    ]
    assert pages == 3
    assert api.get("/api/v1/signals", since=cursor).json() == {
        "changes": [],
        "next": cursor,
        "more": False,
    }
    submit_signals([("pdq", flip_bits(PHOTO, 100), 90)], "web")
    [change] = api.get("/api/v1/signals", since=cursor).json()["changes"]
    assert change["entry"] == SignalChange.objects.last().entry_id  # type: ignore[union-attr]


def test_a_bad_cursor_or_limit_is_422(api: ApiClient) -> None:
    assert problem(api.get("/api/v1/signals", since="nonsense!"), 422)["errors"] == [
        "since: not a cursor this server handed out"
    ]
    assert problem(api.get("/api/v1/signals", limit=0), 422)["errors"][0].startswith("limit:")


def test_a_cursor_ahead_of_every_change_is_refused_not_followed(api: ApiClient) -> None:
    submit_signals([("pdq", PHOTO, 90)], "web")
    ahead = encode_cursor(SignalChange.objects.last().pk + 1000)  # type: ignore[union-attr]
    assert "start again" in problem(api.get("/api/v1/signals", since=ahead), 422)["errors"][0]
    arabic_three = base64.urlsafe_b64encode("signal-change:\u0663".encode()).decode()
    assert problem(api.get("/api/v1/signals", since=arabic_three), 422)


def test_export_then_import_round_trips_the_bank(api: ApiClient) -> None:
    first = submit_signals([("pdq", PHOTO, 90), ("vpdq", "\n".join(VIDEO), 0)], "web")
    exported = b"".join(api.get("/api/v1/bank/export").streaming_content).decode()
    assert exported.splitlines()[0] == f"pdq {PHOTO}"
    assert exported.splitlines()[1].startswith(f'vpdq ["{OTHER},100,0.000", "{PHOTO},100,1.000"')

    submission = check_submission(first.case_number, first.pin, "client")
    assert submission is not None
    withdraw_submission(submission)
    assert api.get("/api/v1/bank/export").getvalue() == b""  # type: ignore[attr-defined]

    response = api.post("/api/v1/bank/import", exported + "md5 abc\n\n", "text/plain")
    assert response.status_code == 201, response.content
    assert response.json()["imported"] == 2
    assert response.json()["skipped"] == {"md5": 1}
    again = b"".join(api.get("/api/v1/bank/export").streaming_content).decode()
    assert again == exported
    assert len(matches(api.match(PHOTO))[0]) == 1


def test_import_names_bad_lines(api: ApiClient) -> None:
    response = api.post("/api/v1/bank/import", f"pdq {PHOTO}\npdq 12345\nvpdq [1]\n", "text/plain")
    body = problem(response, 422)
    assert body["errors"] == [
        "line 2: PDQ hash has 5 characters; expected 64 hex digits",
        'line 3: vpdq signal must be a JSON list of "hash,quality,timestamp"',
    ]


def test_unknown_paths_and_wrong_methods_are_problem_json(api: ApiClient) -> None:
    assert "no such endpoint" in str(problem(api.get("/api/v1/nothing/here"), 404)["detail"])
    response = api.get("/api/v1/match")
    problem(response, 405)
    assert response["Allow"] == "POST"
