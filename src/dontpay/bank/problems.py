"""Every API error as ``application/problem+json`` (RFC 9457) with a 4xx status that says what
to fix, and for invalid requests an `errors` list naming each field by its path."""

import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from dontpay.domain.bounded_json import JsonTooDeep

PROBLEM_TYPE = "application/problem+json"
_TITLES = {
    400: "Malformed request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
}


class ApiProblem(Exception):
    """A failed request: its status, what went wrong, and any per-field errors."""

    def __init__(
        self, status: int, detail: str, errors: Sequence[str] = (), retry_after: int | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.retry_after = retry_after


class UnsupportedMediaType(ValueError):
    """The request body is not in the media type the endpoint reads."""


class BodyNotAnObject(ValueError):
    """The body is JSON, but not the object the endpoint reads."""


def problem_response(problem: ApiProblem) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = JsonResponse(body, status=problem.status, content_type=PROBLEM_TYPE)
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="dontpay"'
    if problem.retry_after is not None:
        response["Retry-After"] = str(problem.retry_after)
    return response


def install_problem_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default error bodies with problem+json."""

    def on_error(request: HttpRequest, exc: object) -> HttpResponse:
        return problem_response(problem_for(exc))

    for error in (ApiProblem, AuthenticationError, HttpError, ValidationError, RequestDataTooBig):
        api.add_exception_handler(error, on_error)


def problem_for(exc: object) -> ApiProblem:
    """The problem to report for an exception raised while handling an API request."""
    if isinstance(exc, ApiProblem):
        return exc
    if isinstance(exc, AuthenticationError):
        return ApiProblem(401, "Send a platform token in the header: Authorization: Bearer <token>")
    if isinstance(exc, ValidationError):
        errors = [_describe(error) for error in exc.errors]
        detail = errors[0] if len(errors) == 1 else f"{len(errors)} problems; see errors"
        return ApiProblem(422, detail, errors)
    if isinstance(exc, HttpError):
        return _problem_from_http_error(exc)
    return ApiProblem(413, "The request body is too large; send it in smaller parts")


def _problem_from_http_error(exc: HttpError) -> ApiProblem:
    """Ninja reports every failure to read a body as 400; say which one it was."""
    cause = exc.__cause__
    if isinstance(cause, UnsupportedMediaType):
        return ApiProblem(415, str(cause))
    if isinstance(cause, BodyNotAnObject):
        return ApiProblem(422, str(cause), [f"body: {cause}"])
    if isinstance(cause, JsonTooDeep):
        return ApiProblem(400, f"The body is not JSON we read: it is {cause}")
    if isinstance(cause, json.JSONDecodeError):
        return ApiProblem(
            400,
            f"The body is not valid JSON: {cause.msg} at line {cause.lineno}, column {cause.colno}",
        )
    if isinstance(cause, UnicodeDecodeError):
        return ApiProblem(400, "The body is not valid UTF-8")
    return ApiProblem(exc.status_code, str(exc))


def _describe(error: dict[str, Any]) -> str:
    """``signals[3].value: PDQ hash has 63 characters; expected 64 hex digits``."""
    return f"{field_path(error.get('loc', ()))}: {_message(error)}"


def field_path(location: Sequence[object]) -> str:
    """A pydantic location as a path: ("body", "payload", "signals", 3, "value") is
    ``signals[3].value``; a query parameter is its name; the body itself is ``body``."""
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts and parts[0] in ("query", "path", "header"):
        parts = parts[1:]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "body"


def _message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "too_long":
        return f"at most {context.get('max_length')} items, got {context.get('actual_length')}"
    if kind == "too_short":
        return f"at least {context.get('min_length')} item(s) needed"
    if kind == "missing":
        return "required"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")
