"""The platform API, version 1: match hashes, follow the signal feed, move the bank in bulk.

Platforms authenticate with a scoped token (see `auth.py`); there are no sessions or cookies,
so no CSRF check applies. The OpenAPI schema is published at ``/api/v1/openapi.json``; there is
no interactive documentation page, since it would load its scripts from another origin.
"""

import json
from typing import Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import NinjaAPI, Query, Status
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from ninja.types import DictStrAny

from dontpay.domain.bounded_json import load_json
from dontpay.domain.signals import VpdqFeature
from dontpay.site.metrics import count_match_signals

from .api_dihedral import router as dihedral_router
from .api_feedback import router as feedback_router
from .auth import PlatformTokenAuth, platform_of
from .feed import InvalidCursor, changes_since
from .flood import screen_matches
from .index import bank_index
from .models import PlatformToken
from .problems import (
    PROBLEM_TYPE,
    ApiProblem,
    BodyNotAnObject,
    UnsupportedMediaType,
    install_problem_handlers,
)
from .schemas import (
    FeedQuery,
    FeedResponse,
    ImportResponse,
    MatchRequest,
    MatchResponse,
    Problem,
    VideoMatchRequest,
    VideoMatchResponse,
)
from .shown import note_answer_shown, note_feed_page_shown
from .threatexchange import (
    InvalidSignalFile,
    export_lines,
    import_signal_file,
    live_entries,
)


class JsonBodyParser(Parser):
    """Read bodies only when they say they are JSON, so a form post is refused with 415."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        if request.content_type != "application/json":
            raise UnsupportedMediaType(
                f"Send the body as application/json, not {request.content_type or 'nothing'}"
            )
        parsed = load_json(request.body)  # JsonTooDeep becomes a 400 problem
        if not isinstance(parsed, dict):
            raise BodyNotAnObject("expected a JSON object")
        return parsed


class BankApi(NinjaAPI):
    """Ninja, with errors published as the problem+json they are."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path in schema["paths"].values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    if int(status) >= 400 and "application/json" in response.get("content", {}):
                        response["content"] = {
                            PROBLEM_TYPE: response["content"]["application/json"]
                        }
        return schema


api = BankApi(
    title="dontpay hash bank",
    version="1",
    description=(
        "Match images and videos against hashes people have asked platforms to block, and "
        "follow additions and withdrawals. See docs/platform-api.md."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    parser=JsonBodyParser(),
)
install_problem_handlers(api)

_ERRORS = dict.fromkeys((400, 401, 403, 413, 415, 422, 429), Problem)


@api.post(
    "/match",
    auth=PlatformTokenAuth(PlatformToken.MATCH),
    response={200: MatchResponse, **_ERRORS},
    summary="Match PDQ image hashes",
)
def match(request: HttpRequest, payload: MatchRequest) -> HttpResponse:
    """Live bank entries within 31 bits of each hash. A hash submitted a moment ago, through
    any server process, is already matched."""
    count_match_signals("image", len(payload.signals))
    found = bank_index().match_images([signal.value for signal in payload.signals])
    found = screen_matches(found, lambda match: match[0])
    note_answer_shown(platform_of(request), found, lambda match: match[0])
    # Written straight out: checking our own answer against `MatchResponse` object by object
    # cost more than the search. The shape is pinned by the schema tests.
    return _json_response(
        {
            "results": [
                {"signal": number, "matches": [{"entry": e, "distance": d} for e, d in matches]}
                for number, matches in enumerate(found)
            ]
        }
    )


@api.post(
    "/match/video",
    auth=PlatformTokenAuth(PlatformToken.MATCH),
    response={200: VideoMatchResponse, **_ERRORS},
    summary="Match a video by its vPDQ features",
)
def match_video(request: HttpRequest, payload: VideoMatchRequest) -> dict[str, object]:
    """Live bank videos matching by vPDQ's rule: enough of each video's frames (80 % by
    default) within 31 bits of a frame of the other."""
    count_match_signals("video", len(payload.features))
    query = [VpdqFeature(f.quality, f.frame_number, f.hash, f.timestamp) for f in payload.features]
    matches = bank_index().match_video(query)
    [matches] = screen_matches([matches], lambda match: match.entry)
    note_answer_shown(platform_of(request), [matches], lambda match: match.entry)
    return {
        "matches": [
            {"entry": m.entry, "query_share": m.query_share, "bank_share": m.bank_share}
            for m in matches
        ]
    }


@api.get(
    "/signals",
    auth=PlatformTokenAuth(PlatformToken.SIGNALS),
    response={200: FeedResponse, **_ERRORS},
    summary="Additions and withdrawals since a cursor",
)
def signals(request: HttpRequest, page: Query[FeedQuery]) -> dict[str, object]:
    """Changes in the order they happened. Keep `next` and ask again with it: a withdrawal
    means the platform should stop blocking that value."""
    try:
        found = changes_since(page.since, page.limit)
    except InvalidCursor as problem:
        raise ApiProblem(422, f"since: {problem}", [f"since: {problem}"]) from None
    if found.changes:
        note_feed_page_shown(platform_of(request), found.after, found.changes[-1].pk)
    return {
        "changes": [
            {
                "entry": change.entry_id,
                "type": change.entry.signal_type,
                "value": change.entry.value,
                "change": change.change,
                "at": change.at,
            }
            for change in found.changes
        ],
        "next": found.next,
        "more": found.more,
    }


def _json_response(body: object) -> HttpResponse:
    return HttpResponse(json.dumps(body, separators=(",", ":")), content_type="application/json")


_TEXT_BODY = {"content": {"text/plain": {"schema": {"type": "string"}}}}
#: At least one pdq or vpdq line; whether each line is a valid signal, the server says (422).
_SIGNAL_FILE_BODY = {
    "content": {
        "text/plain": {
            "schema": {"type": "string", "minLength": 5, "pattern": "(^|\\n)v?pdq [^\\n]"}
        }
    }
}


@api.get(
    "/bank/export",
    auth=PlatformTokenAuth(PlatformToken.BANK),
    response={**_ERRORS},
    openapi_extra={"responses": {"200": {"description": "The signal file", **_TEXT_BODY}}},
    summary="Every live entry as a threatexchange signal file",
)
def export(
    request: HttpRequest, format: Literal["threatexchange"] = "threatexchange"
) -> StreamingHttpResponse:
    """One ``<type> <signal>`` line per live entry, as the threatexchange CLI reads them."""
    response = StreamingHttpResponse(
        (f"{line}\n" for line in export_lines(live_entries())),
        content_type="text/plain; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="dontpay-bank.txt"'
    return response


@api.post(
    "/bank/import",
    auth=PlatformTokenAuth(PlatformToken.BANK),
    response={201: ImportResponse, **_ERRORS},
    openapi_extra={"requestBody": {"required": True, **_SIGNAL_FILE_BODY}},
    summary="Add a threatexchange signal file to the bank",
)
def import_file(request: HttpRequest) -> Status[dict[str, object]]:
    """The file's pdq and vpdq lines become one submission, whose case number and PIN withdraw
    them again; lines of other types are skipped and counted."""
    if request.content_type != "text/plain":
        raise ApiProblem(
            415, f"Send the file as text/plain, not {request.content_type or 'nothing'}"
        )
    try:
        text = request.body.decode()
    except UnicodeDecodeError:
        raise ApiProblem(400, "The file is not valid UTF-8") from None
    try:
        imported = import_signal_file(text.splitlines())
    except InvalidSignalFile as problem:
        raise ApiProblem(422, str(problem), problem.problems) from None
    return Status(
        201,
        {
            "case_number": imported.submission.case_number,
            "pin": imported.submission.pin,
            "imported": imported.imported,
            "skipped": imported.skipped,
        },
    )


# Turned and mirrored copies, and platforms' feedback on matches: routes of their own modules.
api.add_router("/", dihedral_router)
api.add_router("/", feedback_router)
