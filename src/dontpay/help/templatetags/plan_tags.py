"""How a step's urgency is shown to the person: words and a tag colour."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from dontpay.domain.guidance import Urgency

register = template.Library()

_WORDS = {
    Urgency.EMERGENCY: (_("Do this first"), "red"),
    Urgency.NOW: (_("Do this now"), "orange"),
    Urgency.TODAY: (_("Today"), "blue"),
    Urgency.WHEN_READY: (_("When you are ready"), "grey"),
}


@register.filter
def urgency_words(urgency: Urgency) -> str:
    """E.g. "Do this now", in the page's language."""
    return str(_WORDS[urgency][0])


@register.filter
def urgency_colour(urgency: Urgency) -> str:
    """The GOV.UK tag colour modifier, e.g. ``red``."""
    return _WORDS[urgency][1]


@register.filter
def paragraphs(text: str) -> str:
    """A step body (paragraphs split by blank lines) as GOV.UK body paragraphs, escaped."""
    return mark_safe(  # noqa: S308 - every paragraph is escaped first
        "".join(
            format_html('<p class="govuk-body">{}</p>', paragraph)
            for paragraph in text.split("\n\n")
        )
    )
