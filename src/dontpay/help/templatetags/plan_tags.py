"""How a step is shown to the person: its urgency as words and a tag colour, and its body."""

import re

from django import template
from django.utils.html import conditional_escape
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


#: A phone number written in groups ("13 11 14", "1-800-CALL-FBI"). In a right-to-left
#: paragraph the groups would be laid out in reverse ("14 11 13"), so each is kept left to right.
_GROUPED_NUMBER = re.compile(r"\d+(?:[ -]\d+)+(?:-[A-Z]+)*")


@register.filter
def paragraphs(text: str) -> str:
    """A step body (paragraphs split by blank lines) as GOV.UK body paragraphs, escaped, with
    each grouped phone number kept left to right."""
    return mark_safe(  # noqa: S308 - each paragraph is escaped before its numbers are wrapped
        "".join(
            '<p class="govuk-body">'
            + _GROUPED_NUMBER.sub(r'<span dir="ltr">\g<0></span>', conditional_escape(paragraph))
            + "</p>"
            for paragraph in text.split("\n\n")
        )
    )
