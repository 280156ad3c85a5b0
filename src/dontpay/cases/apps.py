from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Reports, their evidence items and custody chains; later case files and outcomes."""

    name = "dontpay.cases"
    label = "cases"
