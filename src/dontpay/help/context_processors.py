"""Crisis support shown in the same place on every page, in the person's jurisdiction and
language; the language chooser's choices; what record pages need on every page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import ngettext

from dontpay.domain.guidance import load_pack

from .language import guidance_language
from .record_session import IDLE_SECONDS, WARNING_SECONDS
from .session import saved_answers
from .words import organisation_words


def crisis_support(request: HttpRequest) -> dict[str, Any]:
    """The crisis contacts of the pack the person chose, or of the default pack."""
    jurisdiction = (
        saved_answers(request.session).get("jurisdiction") if hasattr(request, "session") else None
    )
    pack = load_pack(jurisdiction or settings.DONTPAY_DEFAULT_JURISDICTION, guidance_language())
    return {"crisis_contacts": pack.crisis_contacts}


def page_language(request: HttpRequest) -> dict[str, Any]:
    """``language_choices``: each language named in itself, for the chooser."""
    return {
        "language_choices": [
            (code, name, translation.get_language_info(code)["bidi"])
            for code, name in settings.LANGUAGES
        ],
    }


def record_pages(request: HttpRequest) -> dict[str, Any]:
    """Who a record can be sent to, and when an open record closes for inactivity (for
    the timeout warning on record pages)."""
    return {
        "organisation": organisation_words(settings.DONTPAY_ORGANISATION_NAME),
        "idle_seconds": IDLE_SECONDS,
        "idle_minutes": IDLE_SECONDS // 60,
        "warning_seconds": WARNING_SECONDS,
        "warning_minutes": WARNING_SECONDS // 60,
        # The countdown's words for each whole minute, for a browser that has none of its own.
        "warning_minute_words": [
            ngettext("%(minutes)s minute", "%(minutes)s minutes", count) % {"minutes": count}
            for count in range(1, WARNING_SECONDS // 60 + 1)
        ],
    }
