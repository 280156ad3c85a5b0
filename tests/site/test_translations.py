"""The victim side's catalogues: every marked string translated in every language, none fuzzy,
the compiled files up to date, every victim template's words marked, and each catalogue saying
who translated it and whether a native speaker reviewed it."""

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

from dontpay.domain.evidence import EvidenceRejected
from dontpay.domain.reports import SECTIONS
from dontpay.domain.words import Words
from dontpay.site.translations import (
    SOURCES,
    catalogue,
    compile_catalogue,
    extract,
    languages,
    messages,
)

LOCALE = Path(settings.LOCALE_PATHS[0])
DOCS = Path(__file__).resolve().parents[2] / "docs" / "languages.md"
#: Every template a person being blackmailed can see.
VICTIM_TEMPLATES = sorted(
    [
        *(SOURCES / "help" / "templates").rglob("*.html"),
        SOURCES / "templates" / "base.html",
        SOURCES / "templates" / "413.html",
        SOURCES / "templates" / "500.html",
        SOURCES / "templates" / "errors" / "victim.html",
        *(SOURCES / "templates" / "govuk").glob("*.html"),
    ]
)
#: Attributes whose words a person sees or hears.
READ_ATTRIBUTES = re.compile(r'\b(?:alt|aria-label|title|placeholder)="([^"]*)"')

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="gettext is not installed (apt-get install gettext)"
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed catalogues, brought up to date with the marked strings in the sources."""
    locale = tmp_path_factory.mktemp("locale")
    shutil.copytree(LOCALE, locale, dirs_exist_ok=True)
    extract(locale)
    return locale


@needs_gettext
@pytest.mark.parametrize("language", languages())
def test_every_marked_string_is_translated_and_none_is_fuzzy(
    extracted: Path, language: str
) -> None:
    statistics = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", catalogue(extracted, language)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", statistics), statistics


@needs_gettext
@pytest.mark.parametrize("language", languages())
def test_the_committed_catalogue_and_compiled_file_match_the_sources(
    extracted: Path, language: str, tmp_path: Path
) -> None:
    """Nothing marked is missing from the committed .po, nothing there is stale, and the .mo
    served at run time was compiled from it."""
    compile_catalogue(catalogue(extracted, language), tmp_path / "fresh.mo")
    compile_catalogue(catalogue(LOCALE, language), tmp_path / "committed.mo")
    assert messages(tmp_path / "fresh.mo") == messages(tmp_path / "committed.mo")
    assert messages(catalogue(LOCALE, language, "mo")) == messages(tmp_path / "committed.mo")


def unmarked_words(template: Path) -> list[str]:
    """Words in a template that are outside {% translate %} and {% blocktranslate %}."""
    text, depth = [], 0
    for token in Lexer(template.read_text(encoding="utf-8")).tokenize():
        contents = token.contents.split(" ", 1)[0] if token.token_type == TokenType.BLOCK else ""
        if contents in {"blocktranslate", "blocktrans", "comment"}:
            depth += 1
        elif contents in {"endblocktranslate", "endblocktrans", "endcomment"}:
            depth -= 1
        elif depth == 0:
            text.append(token.contents if token.token_type == TokenType.TEXT else " § ")
    html = re.sub(r"<script\b.*?</script>", " ", "".join(text), flags=re.S)
    # A name marked translate="no" (the product's own name) is the same in every language.
    html = re.sub(r'<(\w+)[^>]*\btranslate="no"[^>]*>[^<]*</\1>', " ", html)
    attributes = " ".join(READ_ATTRIBUTES.findall(html))
    words = unescape(re.sub(r"<[^>]*>", " ", html) + " " + attributes)
    return re.findall(r"[A-Za-z][A-Za-z']+", words)


@pytest.mark.parametrize("template", VICTIM_TEMPLATES, ids=str)
def test_every_word_on_a_victim_page_is_marked_for_translation(template: Path) -> None:
    assert unmarked_words(template) == []


def test_the_check_for_unmarked_words_finds_them(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text(
        '{% load i18n %}<p>{% translate "Fine" %} Left out</p><img alt="Also left out">'
        "{% blocktranslate %}Fine {{ too }}{% endblocktranslate %}"
    )
    assert unmarked_words(template) == ["Left", "out", "Also", "left", "out"]


@pytest.mark.parametrize("language", languages())
def test_every_catalogue_says_who_translated_it_and_whether_it_was_reviewed(
    language: str,
) -> None:
    header = catalogue(LOCALE, language).read_text(encoding="utf-8")[:1000]
    translated_by = re.search(r"^# Translated by: (.+)$", header, re.M)
    reviewed = re.search(r"^# Reviewed by a native speaker: (yes|no)\b", header, re.M)
    assert translated_by, language
    assert reviewed, language
    documented = DOCS.read_text(encoding="utf-8")
    row = re.search(rf"^\| .* \| `{language}` \|(.*)$", documented, re.M)
    assert row, f"docs/languages.md has no row for {language}"
    assert ("not reviewed" in row.group(1)) == (reviewed.group(1) == "no")


@pytest.mark.parametrize("language", languages())
def test_the_domains_marked_words_are_in_every_catalogue(language: str) -> None:
    """`words(...)` in the domain is extracted like Django's own markers (a record page would
    otherwise show a section, label or error in English)."""
    marked = [
        text
        for section in SECTIONS
        for text in (
            section.title,
            section.intro,
            section.item_title,
            *(field.label for field in section.fields),
            *(label for field in section.fields for _, label in field.choices),
        )
        if isinstance(text, Words)
    ]
    marked += [
        kind.default_reason for kind in (EvidenceRejected, *EvidenceRejected.__subclasses__())
    ]
    translated = messages(catalogue(LOCALE, language, "mo"))
    assert len(marked) > 50
    assert [text.template for text in marked if text.template not in translated] == []
