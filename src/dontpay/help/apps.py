from django.apps import AppConfig


class HelpConfig(AppConfig):
    """The victim-facing guided flow: questions, the action plan, staying safe, exit."""

    name = "dontpay.help"
    label = "help"
