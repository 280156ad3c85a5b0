"""`dontpay translations`: extract the victim side's marked words into every language's
catalogue, then compile the catalogues (needs Debian's ``gettext``)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from dontpay.site.translations import catalogue, compile_catalogue, extract, languages


class Command(BaseCommand):
    help = "Update every language's .po from the marked strings, then compile the .mo files."
    requires_system_checks = ()

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        extract(locale_dir)
        for language in languages():
            compile_catalogue(
                catalogue(locale_dir, language), catalogue(locale_dir, language, "mo")
            )
            self.stdout.write(f"{language}: {catalogue(locale_dir, language)}")
