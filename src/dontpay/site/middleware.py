"""Response headers that keep a visit private on a shared or monitored device."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render


class PrivateResponseMiddleware:
    """Forbid every cache (browser, proxy, back-forward) from keeping a page.

    A person who pressed "Exit this page" must not find the page again in the browser's cache,
    and a shared proxy must never hold a copy of what they typed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
        return response


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    """Django's CSRF protection, working under ``Referrer-Policy: no-referrer``.

    With that policy browsers send ``Origin: null`` on our own form posts, which Django takes
    for a foreign origin. A ``null`` origin is let through to the token check, which every
    unsafe request must still pass: the token lives in the session, and the session cookie is
    ``SameSite=Lax`` (never sent with another site's post). A real foreign origin is still refused.
    """

    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META["HTTP_ORIGIN"] == "null":
            return True
        return bool(super()._origin_verified(request))  # type: ignore[misc]


class RequestSizeMiddleware:
    """Refuse a request whose declared body is larger than the product accepts, with 413.

    The check reads only the Content-Length header, before anything reads the body (CSRF,
    forms, the API): the web server (granian, `site/server.py`) hands the body to the app only
    as the app reads it, so a body too large to be an upload is never read, held or parsed.
    The person gets a page that says what to do.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from dontpay.help.uploads import max_request_bytes, too_much_at_once

        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_request_bytes():
            if request.path.startswith("/api/"):
                from dontpay.bank.problems import ApiProblem, problem_response

                return problem_response(ApiProblem(413, "The body is larger than the API accepts"))
            return render(request, "413.html", {"reason": too_much_at_once()}, status=413)
        return self.get_response(request)
