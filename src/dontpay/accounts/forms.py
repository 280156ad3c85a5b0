"""Staff sign-in and enrolment forms."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.template.defaultfilters import pluralize

from dontpay.cases.throttle import TooManyAttempts

from .sign_in import check_sign_in


class StaffLoginForm(forms.Form):
    """Username, password and the current code from the authenticator app, all required."""

    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput)
    code = forms.CharField(max_length=8, label="Code from your authenticator app")

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: Any = None
        self.device: Any = None
        #: Whether this address must wait before trying again (a 429).
        self.too_many = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        code = data["code"].replace(" ", "")
        try:
            signed_in = check_sign_in(self.request, data["username"], data["password"], code)
        except TooManyAttempts as wait:
            self.too_many = True
            raise forms.ValidationError(
                "Too many failed sign-ins from this address. Wait "
                f"{wait.minutes} minute{pluralize(wait.minutes)} and try again"
            ) from None
        if signed_in is None:
            raise forms.ValidationError("The username, password or code is not right")
        self.user, self.device = signed_in.user, signed_in.device
        return data


class EnrolmentForm(forms.Form):
    """Choose a password and confirm the authenticator app with its first code."""

    password = forms.CharField(widget=forms.PasswordInput, label="Choose a password")
    code = forms.CharField(max_length=8, label="Code from your authenticator app")

    def __init__(self, device: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        password_validation.validate_password(password, self.device.user)
        return password

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].replace(" ", "")
        if not self.device.verify_token(code):
            raise forms.ValidationError("That code is not right: enter the code the app shows now")
        return code
