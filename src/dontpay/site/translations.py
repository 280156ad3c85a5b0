"""The victim side's message catalogues: extract the marked words, compile them.

Catalogues live in ``src/dontpay/locale/<language>/LC_MESSAGES/django.po``, one per language
besides English, each headed by who translated it and whether a native speaker has reviewed
it. The compiled ``.mo`` files are committed beside them, so running the product needs no
gettext; extracting and compiling do (Debian's ``gettext`` package).

Besides Django's own markers, every string passed to `dontpay.domain.words.words` is extracted:
the domain marks the words a person reads without importing Django (see that module).
"""

import gettext
import os
import subprocess
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.commands.makemessages import Command as MakeMessages
from django.test.utils import override_settings

#: Where the application's sources are: every marked string under it is extracted.
SOURCES = Path(__file__).resolve().parent.parent
#: Sources that are not translated: vendored code, built assets, the catalogues themselves.
NOT_SCANNED = ("static", "locale", "node_modules")


class MakeMessagesWithDomainWords(MakeMessages):
    """Django's ``makemessages``, also extracting the domain's `words(...)`."""

    xgettext_options = [*MakeMessages.xgettext_options, "--keyword=words"]  # noqa: RUF012 - as in Django


def languages() -> list[str]:
    """Every language but the default English."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue(locale_dir: Path, language: str, suffix: str = "po") -> Path:
    """The path of one language's catalogue under `locale_dir`."""
    return locale_dir / language / "LC_MESSAGES" / f"django.{suffix}"


def extract(locale_dir: Path) -> None:
    """Bring every language's ``.po`` under `locale_dir` up to date with the marked strings:
    new ones are added empty, changed ones marked fuzzy, gone ones dropped."""
    with override_settings(LOCALE_PATHS=[str(locale_dir)]), chdir(SOURCES):
        call_command(
            MakeMessagesWithDomainWords(),
            locale=languages(),
            ignore_patterns=[f"{name}/*" for name in NOT_SCANNED],
            no_obsolete=True,
            no_location=True,
            verbosity=0,
        )


def compile_catalogue(po: Path, mo: Path) -> None:
    """Compile one ``.po``, refusing it if msgfmt finds a broken entry."""
    subprocess.run(  # noqa: S603 - fixed program, paths we made
        ["msgfmt", "--check", "-o", os.fspath(mo), os.fspath(po)],  # noqa: S607
        check=True,
        capture_output=True,
    )


def messages(mo: Path) -> dict[object, str]:
    """A compiled catalogue's entries (msgid to msgstr), without its header."""
    with mo.open("rb") as data:
        catalog: dict[object, str] = gettext.GNUTranslations(data)._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in catalog.items() if key != ""}
