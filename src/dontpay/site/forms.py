"""Form widgets every app uses, so a browser's own controls get values they understand."""

from typing import Any

from django import forms

#: The only format `<input type="date">` accepts as its value (RFC 3339 full-date). A browser
#: shows an empty control for anything else, and saving the form unchanged would then erase
#: the date, so the widget never follows the locale (en-GB would give "29/11/2026").
ISO_DATE = "%Y-%m-%d"


class IsoDateInput(forms.DateInput):
    """A native date picker whose value is always ISO, whatever the language settings."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
