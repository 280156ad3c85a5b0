"""``{{ field.label|translated }}``: the domain's marked words in the person's language."""

from django import template

from dontpay.help.words import translated as translated_words

register = template.Library()


@register.filter
def translated(text: str, number: int | None = None) -> str:
    """Marked words translated; ``|translated:forloop.counter`` fills in an item's number."""
    return translated_words(text) if number is None else translated_words(text, number=number)
