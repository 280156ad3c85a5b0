from django.apps import AppConfig


class BankConfig(AppConfig):
    """Hash submissions, the hash bank, and the platform matching API."""

    name = "dontpay.bank"
    label = "bank"
