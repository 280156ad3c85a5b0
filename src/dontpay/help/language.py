"""The language of the victim side: chosen by the person, kept in their session only.

The choice lives in the session, not in a cookie of its own, so "Exit this page" (which
flushes the session) leaves no trace of it either. Before a choice, the browser's preferred
language is used if we speak it. Staff pages, the platform API and the health endpoints stay
in English whatever the person chose.
"""

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

#: Where the session keeps the chosen language code.
SESSION_KEY = "language"
#: Paths that are never translated: staff work in English, machines read English.
ENGLISH_ONLY_PREFIXES = ("/staff/", "/api/", "/healthz", "/readyz", "/metrics")


def supported(code: object) -> bool:
    """Whether `code` is one of the languages in ``settings.LANGUAGES``."""
    return isinstance(code, str) and code in dict(settings.LANGUAGES)


def guidance_language(code: str | None = None) -> str:
    """The guidance packs' code for a Django language code: ``en-gb`` is ``en``."""
    code = code or translation.get_language() or settings.LANGUAGE_CODE
    return code.split("-")[0]


class VictimLanguageMiddleware:
    """Activate the person's language on victim pages and English everywhere else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        patch_vary_headers(response, ("Accept-Language",))
        return response


def _language_for(request: HttpRequest) -> str:
    # Static files need no language, and must not wait on the session's database row.
    if request.path.startswith((*ENGLISH_ONLY_PREFIXES, settings.STATIC_URL)):
        return settings.LANGUAGE_CODE
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if supported(chosen):
        assert isinstance(chosen, str)
        return chosen
    return translation.get_language_from_request(request)


@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch language and go back to the same page: answers, ticks and an open record stay in
    the session untouched. An unknown language or a foreign ``next`` is ignored, not an error.

    No CSRF token: the chooser is on every page, and a token would start a session (a row in
    the database) for every visitor before they have done anything. Instead a post from another
    site is ignored: it arrives without the ``SameSite=Lax`` cookie, so writing a language
    would start a fresh session whose cookie replaces the person's, wiping their answers and
    signing them out of their record.
    """
    remember_language(request, request.POST.get("language"))
    next_url = request.POST.get("next", "")
    safe = (
        next_url.startswith("/")
        and not unquote(next_url).startswith(ENGLISH_ONLY_PREFIXES)  # as the server will read it
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    )
    return HttpResponseRedirect(next_url if safe else reverse("help:start"))


def remember_language(request: HttpRequest, language: object) -> None:
    """Keep `language` for the rest of this visit, if we speak it and one of our own pages
    asked for it (an unknown language, or a post from elsewhere, is ignored), starting with
    this response."""
    if supported(language) and _from_this_site(request):
        assert isinstance(language, str)
        request.session[SESSION_KEY] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _from_this_site(request: HttpRequest) -> bool:
    """Whether a post came from one of our own pages, as the browser reports it: by
    ``Sec-Fetch-Site`` where sent (every current browser, over HTTPS or to localhost), else by
    ``Origin``. A client that sends neither (not a browser a page can drive) is believed."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":  # our no-referrer policy may send null
        return True
    return origin == f"{request.scheme}://{request.get_host()}"
