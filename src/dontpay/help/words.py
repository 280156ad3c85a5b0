"""The record's words in the person's language: the domain's marked `words`, translated as
they are shown, and the organisation's own words shown as it wrote them.

Only marked words are translated. What a person typed is a plain string, so it is shown exactly
as they wrote it even when it happens to match a sentence in the catalogue.
"""

from django.utils.formats import number_format
from django.utils.translation import gettext

from dontpay.domain.words import Words


def translated(text: str, **values: int | str) -> str:
    """`text` in the active language if it is marked `words`, with its values (and `values`,
    such as an item's ``number``) put in; anything else unchanged."""
    if not isinstance(text, Words):
        return text
    filled = {**text.values, **values}
    sentence = gettext(text.template)
    if not filled:
        return sentence
    return sentence.format(
        **{
            name: number_format(value, force_grouping=True) if isinstance(value, int) else value
            for name, value in filled.items()
        }
    )


def organisation_words(text: str) -> str:
    """The organisation's name or words: our defaults translated, its own shown as written."""
    return gettext(text) if text else text  # gettext("") would be the catalogue's header
