from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: roles, password plus TOTP login, enrolment, and the audit trail."""

    name = "dontpay.accounts"
    label = "accounts"
