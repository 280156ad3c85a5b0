from django.apps import AppConfig


class IntelConfig(AppConfig):
    """Indicators found in reports, the links between reports, clusters and their exports."""

    name = "dontpay.intel"
    label = "intel"
