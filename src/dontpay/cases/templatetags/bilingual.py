"""Headings and labels of the report PDF in the person's language with the English beside them,
so the person can read their own report and any police officer can too. What the person wrote
is shown as they wrote it, never translated."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_noop

from dontpay.domain.words import Words
from dontpay.help.words import translated

register = template.Library()

#: Every heading and fixed phrase the PDF shows in two languages (marked here so they are
#: extracted).
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
        gettext_noop("Nothing recorded"),
        gettext_noop("No dates recorded"),
        gettext_noop("No files were uploaded"),
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
    return _side_by_side(language, words, english)


@register.simple_tag
def bilingual(text: str, language: str, **values: int) -> SafeString:
    """The record's own words (a section's title, a field's label, a chosen answer) in
    `language` followed by the English, with `values` (an item's ``number``) put in. Anything
    that is not marked `words` is what the person wrote, shown exactly as written."""
    if not isinstance(text, Words):
        return format_html("{}", text)
    with translation.override("en"):
        english = translated(text, **values)
    if language == "en":
        return format_html("{}", english)
    with translation.override(language):
        words = translated(text, **values)
    return _side_by_side(language, words, english)


def _side_by_side(language: str, words: str, english: str) -> SafeString:
    if words == english:  # a name, such as an app's, reads the same in every language
        return format_html("{}", english)
    return format_html(
        '<span lang="{}" dir="auto">{}</span> <span class="english" lang="en">/ {}</span>',
        language,
        words,
        english,
    )
