"""Showing the domain's marked words: translated into the page's language with their numbers
written the way that language writes them; anything unmarked, such as what a person typed,
exactly as it is."""

from django.utils import translation

from dontpay.domain.words import words
from dontpay.help.words import translated


def test_marked_words_are_translated_and_their_values_put_in_after() -> None:
    with translation.override("es"):
        assert translated(words("This PDF has more than {count} pages.", count=500)) == (
            "Este PDF tiene más de 500 páginas."
        )
        assert translated(words("Account {number}"), number=3) == "Cuenta 3"


def test_numbers_are_written_the_way_the_language_writes_them() -> None:
    limit = words("This must be {limit} characters or fewer", limit=50_000)
    with translation.override("en-gb"):
        assert translated(limit) == "This must be 50,000 characters or fewer"
    with translation.override("fr"):
        assert translated(limit).replace("\u202f", " ").replace("\xa0", " ") == (
            "Ce champ doit contenir 50 000 caractères au maximum"
        )


def test_unmarked_text_is_never_translated() -> None:
    with translation.override("cy"):
        assert translated(words("Amount")) == "Swm"
        assert translated("Amount") == "Amount"
