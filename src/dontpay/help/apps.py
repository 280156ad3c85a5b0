from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from dontpay.domain.guidance import available_jurisdictions


class HelpConfig(AppConfig):
    """The victim-facing guided flow: questions, the action plan, staying safe, exit."""

    name = "dontpay.help"
    label = "help"

    def ready(self) -> None:
        checks.register(check_default_jurisdiction)


def check_default_jurisdiction(**kwargs: Any) -> list[checks.CheckMessage]:
    """Refuse to start with a default jurisdiction that has no guidance pack."""
    code = settings.DONTPAY_DEFAULT_JURISDICTION
    if code in available_jurisdictions():
        return []
    return [
        checks.Error(
            f"DONTPAY_DEFAULT_JURISDICTION is {code!r}, which has no guidance pack",
            hint=f"Use one of {', '.join(available_jurisdictions())}.",
            id="help.E001",
        )
    ]
