"""Headings of the report PDF in the person's language with the English beside them, so the
person can read their own report and any police officer can too."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop

register = template.Library()

#: Every heading the PDF shows in two languages (marked here so they are extracted).
HEADINGS = frozenset(
    {
        gettext_noop("Report"),
        gettext_noop("Summary"),
        gettext_noop("Accounts that contacted them"),
        gettext_noop("Demanded"),
        gettext_noop("Paid"),
        gettext_noop("Payment details given by the offender"),
        gettext_noop("Links to posted content"),
        gettext_noop("Police crime reference"),
        gettext_noop("Files attached"),
        gettext_noop("Timeline"),
        gettext_noop("Evidence files"),
        gettext_noop("File in this pack"),
        gettext_noop("Name when uploaded"),
        gettext_noop("Type"),
        gettext_noop("Size"),
        gettext_noop("Uploaded"),
        gettext_noop("Chain of custody"),
    }
)


@register.simple_tag
def both(english: str, language: str) -> SafeString:
    """`english` in `language` followed by the English; just the English for English."""
    if english not in HEADINGS:
        raise template.TemplateSyntaxError(f"{english!r} is not a bilingual heading")
    if language == "en":
        return format_html("{}", english)
    with translation.override(language):
        words = translation.gettext(english)
    return format_html(
        '<span lang="{}" dir="auto">{}</span> <span class="english" lang="en">/ {}</span>',
        language,
        words,
        english,
    )
