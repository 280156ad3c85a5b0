"""Words a person reads, marked where the domain writes them and translated where they are shown.

`domain/` never imports Django, so it cannot translate: it marks. `words()` gives back its
English text (a `str`, so logs, the command line and tests read it as they always did);
``dontpay translations`` extracts every literal passed to it into the catalogues, and the
victim pages translate it as they show it (`dontpay.help.words.translated`). A sentence with a
number in it is written with a ``{name}`` placeholder and given the value, so that the whole
sentence is translated first and the value put in afterwards.
"""

from collections.abc import Mapping


class Words(str):
    """English text that remembers the sentence it was made from and the values put in it."""

    template: str
    values: Mapping[str, int | str]

    def __new__(cls, template: str, /, **values: int | str) -> "Words":
        shown = {
            name: f"{value:,}" if isinstance(value, int) else value
            for name, value in values.items()
        }
        text = super().__new__(cls, template.format(**shown) if values else template)
        text.template = template
        text.values = values
        return text


def words(template: str, /, **values: int | str) -> Words:
    """Mark `template` as words a person reads, filling in any ``{name}`` from `values`."""
    return Words(template, **values)
