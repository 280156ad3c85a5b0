"""Crisis support shown in the same place on every page, in the person's jurisdiction and
language; whether the page's own words are translated yet."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from dontpay.domain.guidance import load_pack

from .language import guidance_language
from .record_session import IDLE_SECONDS, WARNING_SECONDS
from .session import saved_answers


def crisis_support(request: HttpRequest) -> dict[str, Any]:
    """The crisis contacts of the pack the person chose, or of the default pack."""
    jurisdiction = (
        saved_answers(request.session).get("jurisdiction") if hasattr(request, "session") else None
    )
    pack = load_pack(jurisdiction or settings.DONTPAY_DEFAULT_JURISDICTION, guidance_language())
    return {"crisis_contacts": pack.crisis_contacts}


#: Victim pages whose own words are translated. Any other victim page, in another language, is
#: shown in English and says so (its main content is marked ``lang="en"``).
TRANSLATED_PAGES = frozenset(
    {
        "start",
        "question",
        "plan",
        "staying_safe",
        "protect_start",
        "protect_under_18",
        "protect_choose",
        "protect_done",
        "protect_check",
        "protect_withdraw",
    }
)


def page_language(request: HttpRequest) -> dict[str, Any]:
    """``untranslated_page``: the person chose a language this page is not yet written in;
    ``language_choices``: each language named in itself, for the chooser."""
    match = getattr(request, "resolver_match", None)
    untranslated = (
        translation.get_language() != settings.LANGUAGE_CODE
        and match is not None
        and match.namespace == "help"
        and match.url_name not in TRANSLATED_PAGES
    )
    return {
        "untranslated_page": untranslated,
        "language_choices": [
            (code, name, translation.get_language_info(code)["bidi"])
            for code, name in settings.LANGUAGES
        ],
    }


def record_pages(request: HttpRequest) -> dict[str, Any]:
    """Who a record can be sent to, and when an open record closes for inactivity (for the
    timeout warning on record pages)."""
    return {
        "organisation": settings.DONTPAY_ORGANISATION_NAME,
        "idle_seconds": IDLE_SECONDS,
        "idle_minutes": IDLE_SECONDS // 60,
        "warning_seconds": WARNING_SECONDS,
    }
