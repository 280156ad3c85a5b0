"""The forms analysts and administrators fill in: indicator search and warninglist entries."""

from django import forms

from dontpay.domain.indicators import TYPES

from .models import WarninglistEntry

TYPE_NAMES = {
    "phone": "Phone number",
    "email": "Email address",
    "handle": "Username on a platform",
    "crypto_address": "Crypto address",
    "iban": "IBAN",
    "bank_account": "UK bank account (sort code and account number)",
    "url": "Link (URL)",
}


def type_name(type: str) -> str:
    """How an indicator type is written on the page."""
    return TYPE_NAMES.get(type, type)


class SearchForm(forms.Form):
    q = forms.CharField(label="Indicator", max_length=400, strip=True)


class WarninglistForm(forms.Form):
    """A value that must never link reports; `add_entry` canonicalises and checks it."""

    type = forms.ChoiceField(
        label="Type",
        choices=[("", "Choose a type")] + [(t, type_name(t)) for t in TYPES],
        error_messages={"required": "Choose the type of value"},
    )
    value = forms.CharField(
        label="Value",
        max_length=400,
        error_messages={"required": "Enter the value that must not link reports"},
    )
    match = forms.ChoiceField(
        label="Match",
        choices=WarninglistEntry.MATCHES,
        initial=WarninglistEntry.EXACT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the value is matched"},
    )
    reason = forms.CharField(
        label="Why it must not link reports",
        max_length=200,
        error_messages={"required": "Say why this value must not link reports"},
    )

    def add_service_error(self, message: str) -> None:
        """Show an `InvalidEntry` ("field: why", or just why) beside the field it is about."""
        field, _, why = message.partition(": ")
        if field in self.fields and why:
            self.add_error(field, why[0].upper() + why[1:])
        else:
            self.add_error("value", message)
