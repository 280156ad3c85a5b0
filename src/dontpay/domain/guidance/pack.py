"""Guidance packs: one YAML file per jurisdiction, checked against `pack.schema.json`.

A pack holds words and facts only (steps' text, contacts, platforms' reporting routes, and the
sources they were checked against). Which steps a person sees, and in what order, is decided by
the plan engine in `plan.py`.

A pack's `translations` hold its words in other languages, beside the English; numbers,
addresses and sources are never translated, so every language shares them. A translation must
cover every wording and contact name: a half-translated pack is refused, not shown half in
English. A pack with no translation into a language is shown in English, and every text says
which language it is in (`language`), so a page can mark it.
"""

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any
from urllib.parse import quote

import yaml

#: The language every pack is written in first.
ENGLISH = "en"
#: The languages a pack may be translated into (``$defs.language`` in the schema).
TRANSLATION_LANGUAGES: tuple[str, ...] = ("cy", "es", "fr", "hi", "ur")
#: Every language guidance can be asked for.
LANGUAGES: tuple[str, ...] = (ENGLISH, *TRANSLATION_LANGUAGES)
#: Each language's name in English (for staff and police) and in itself.
LANGUAGE_NAMES: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "cy": ("Welsh", "Cymraeg"),
    "es": ("Spanish", "Español"),
    "fr": ("French", "Français"),
    "hi": ("Hindi", "हिन्दी"),
    "ur": ("Urdu", "اردو"),
}

PACKS = files(__package__) / "packs"
PLATFORMS = files(__package__) / "platforms.yaml"
SCHEMA = json.loads((files(__package__) / "pack.schema.json").read_text(encoding="utf-8"))
#: platforms.yaml holds sources and platforms, in the same shapes as a pack's.
PLATFORMS_SCHEMA = {
    "$defs": SCHEMA["$defs"],
    "type": "object",
    "additionalProperties": False,
    "required": ["sources", "platforms"],
    "properties": {
        "sources": {"$ref": "#/$defs/sources"},
        "platforms": {"$ref": "#/$defs/platforms"},
        "translations": {"$ref": "#/$defs/platformTranslations"},
    },
}


class _PackLoader(yaml.SafeLoader):
    """Safe YAML that keeps dates as text, so the schema checks them like every other field."""


_PackLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class InvalidPack(Exception):
    """A pack file breaks the schema or refers to a contact or source it does not define."""


class UnknownJurisdiction(LookupError):
    """No pack exists for the jurisdiction asked for."""


class UnknownLanguage(LookupError):
    """Guidance cannot be asked for in this language."""


@dataclass(frozen=True)
class Source:
    """A page a fact was checked against, and when."""

    id: str
    title: str
    url: str
    verified_on: date


@dataclass(frozen=True)
class Contact:
    """A service the person can reach, by phone, text, email or web."""

    id: str
    name: str
    source: Source
    phone: str | None = None
    sms: str | None = None
    email: str | None = None
    url: str | None = None
    hours: str | None = None
    #: The language of `name` and `hours`.
    language: str = ENGLISH

    @property
    def sms_parts(self) -> tuple[str, str] | None:
        """The first word and number of a text service ("SHOUT", "85258"), so a page can word
        it in any language; the word is part of the number and is never translated."""
        match = _SMS_WORDING.match(self.sms or "")
        return (match["body"] or "", match["number"]) if match else None

    @property
    def sms_uri(self) -> str | None:
        """An ``sms:`` link (RFC 5724) that opens a text with the right number and first word,
        read from the pack's wording ("Text SHOUT to 85258", "Text 988")."""
        if not self.sms:
            return None
        match = _SMS_WORDING.match(self.sms)
        if match is None:
            return None
        number = match["number"].replace(" ", "")
        return f"sms:{number}?body={quote(match['body'])}" if match["body"] else f"sms:{number}"


#: How a pack words a text service: "Text 988" or "Text SHOUT to 85258".
_SMS_WORDING = re.compile(r"^Text (?:(?P<body>\S+) to )?(?P<number>\+?\d[\d ]*\d)$")


@dataclass(frozen=True)
class Platform:
    """An app or site where the contact happened, and how to report an account there."""

    id: str
    name: str
    how_to_report: str
    report_url: str | None
    sources: tuple[Source, ...]
    #: The name as it reads in the plan's sentences; "Somewhere else" is an answer, not a name.
    in_a_sentence: str
    #: The language of `how_to_report`, and of `name` and `in_a_sentence` where they are words.
    language: str = ENGLISH


@dataclass(frozen=True)
class StepText:
    """One wording of a step, for one situation."""

    title: str
    body: str
    contacts: tuple[Contact, ...]
    sources: tuple[Source, ...]
    #: The language of `title` and `body`.
    language: str = ENGLISH


@dataclass(frozen=True)
class Translation:
    """Who translated a pack (or platforms.yaml) into a language, and whether a native speaker
    has reviewed it."""

    language: str
    translated_by: str
    reviewed_by_native_speaker: bool


@dataclass(frozen=True)
class Pack:
    """A jurisdiction's guidance, with every cross-reference resolved."""

    jurisdiction: str
    name: str
    regions: tuple[str, ...]
    sources: dict[str, Source]
    contacts: dict[str, Contact]
    crisis_contacts: tuple[Contact, ...]
    platforms: dict[str, Platform]
    steps: dict[str, dict[str, StepText]]
    #: The language of the pack's own words (`name`, steps, contact names).
    language: str = ENGLISH
    #: Every language this pack is written in besides English, with who translated it.
    translations: tuple[Translation, ...] = ()

    def step_text(self, step_id: str, variant: str) -> StepText:
        """The wording of `step_id` for the situation named `variant`."""
        return self.steps[step_id][variant]


def available_jurisdictions() -> tuple[str, ...]:
    """The ISO codes that have a pack, sorted."""
    return tuple(
        sorted(
            entry.name.removesuffix(".yaml").upper()
            for entry in PACKS.iterdir()
            if entry.name.endswith(".yaml")
        )
    )


@cache
def load_pack(jurisdiction: str, language: str = ENGLISH) -> Pack:
    """Read, validate and resolve the pack for an ISO code such as ``GB``, in `language` where
    it has been translated into it and in English where it has not."""
    if jurisdiction not in available_jurisdictions():
        raise UnknownJurisdiction(jurisdiction)
    if language not in LANGUAGES:
        raise UnknownLanguage(language)
    pack = _read_yaml(PACKS / f"{jurisdiction.lower()}.yaml")
    return parse_pack(pack, _read_yaml(PLATFORMS), jurisdiction, language)


def _read_yaml(resource: Traversable) -> Any:
    return yaml.load(resource.read_text(encoding="utf-8"), Loader=_PackLoader)  # noqa: S506


def validate(data: Any, schema: dict[str, Any], name: str) -> None:
    """Raise `InvalidPack` listing (up to ten of) the places where `data` breaks `schema`.

    jsonschema is imported here, at the first pack, since its format checkers cost a second of
    start-up in processes that never read a pack."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(data), key=lambda error: error.json_path)
    if errors:
        raise InvalidPack(
            "; ".join(f"{name} {error.json_path}: {error.message}" for error in errors[:10])
        )


def parse_pack(data: Any, shared: Any, expected_jurisdiction: str, language: str = ENGLISH) -> Pack:
    """Build a `Pack` in `language` from a pack's data and platforms.yaml's, or raise
    `InvalidPack`. Every translation is checked, whichever language is asked for."""
    validate(data, SCHEMA, f"pack {expected_jurisdiction}")
    validate(shared, PLATFORMS_SCHEMA, "platforms.yaml")
    for code, translation in data.get("translations", {}).items():
        _check_translation(data, translation, f"$.translations.{code}")
    for code, translation in shared.get("translations", {}).items():
        _check_platform_translation(shared, translation, f"platforms.yaml $.translations.{code}")
    words = data.get("translations", {}).get(language)
    platform_words = shared.get("translations", {}).get(language)
    if data["jurisdiction"] != expected_jurisdiction:
        raise InvalidPack(
            f"$.jurisdiction: {data['jurisdiction']!r} in the pack for {expected_jurisdiction}"
        )
    if clashes := data["sources"].keys() & shared["sources"].keys():
        raise InvalidPack(f"$.sources: {sorted(clashes)} are also defined in platforms.yaml")
    sources = {
        key: Source(
            id=key,
            title=value["title"],
            url=value["url"],
            verified_on=date.fromisoformat(value["verified_on"]),
        )
        for key, value in (data["sources"] | shared["sources"]).items()
    }

    def source(ref: str, where: str) -> Source:
        if ref not in sources:
            raise InvalidPack(f"{where}: unknown source {ref!r}")
        return sources[ref]

    contacts = {
        key: Contact(
            id=key,
            source=source(value["source"], f"$.contacts.{key}"),
            **{
                field: value[field] for field in value if field != "source"
            }  # numbers and addresses: the same in every language
            | ({**words["contacts"][key], "language": language} if words else {}),
        )
        for key, value in data["contacts"].items()
    }

    def contact(ref: str, where: str) -> Contact:
        if ref not in contacts:
            raise InvalidPack(f"{where}: unknown contact {ref!r}")
        return contacts[ref]

    platforms: dict[str, Platform] = {}
    for key, value in shared["platforms"].items():
        route = platform_words["platforms"][key] if platform_words else value
        name = route.get("name", value["name"])
        platforms[key] = Platform(
            id=key,
            name=name,
            how_to_report=_paragraphs(route["how_to_report"]),
            report_url=value.get("report_url"),
            sources=tuple(source(ref, f"$.platforms.{key}") for ref in value["sources"]),
            in_a_sentence=route.get("in_a_sentence", name),
            language=language if platform_words else ENGLISH,
        )
    steps = {
        step_id: {
            name: StepText(
                title=(words["steps"][step_id][name] if words else variant)["title"],
                body=_paragraphs((words["steps"][step_id][name] if words else variant)["body"]),
                contacts=tuple(
                    contact(ref, f"$.steps.{step_id}.{name}") for ref in variant.get("contacts", [])
                ),
                sources=tuple(
                    source(ref, f"$.steps.{step_id}.{name}") for ref in variant["sources"]
                ),
                language=language if words else ENGLISH,
            )
            for name, variant in step["variants"].items()
        }
        for step_id, step in data["steps"].items()
    }
    return Pack(
        jurisdiction=data["jurisdiction"],
        name=(words or data)["name"],
        regions=tuple(data["regions"]),
        sources=sources,
        contacts=contacts,
        crisis_contacts=tuple(contact(ref, "$.crisis_contacts") for ref in data["crisis_contacts"]),
        platforms=platforms,
        steps=steps,
        language=language if words else ENGLISH,
        translations=tuple(
            Translation(code, value["translated_by"], value["reviewed_by_native_speaker"])
            for code, value in data.get("translations", {}).items()
        ),
    )


def _check_translation(data: Any, translation: Any, where: str) -> None:
    """Refuse a translation that leaves out, or adds, a step wording, a contact's name or its
    hours: a person must never meet a plan half in one language."""
    wordings = {(step, name) for step, value in data["steps"].items() for name in value["variants"]}
    translated = {(step, name) for step, value in translation["steps"].items() for name in value}
    if missing := wordings - translated:
        raise InvalidPack(f"{where}.steps: missing {sorted(missing)}")
    if extra := translated - wordings:
        raise InvalidPack(f"{where}.steps: {sorted(extra)} are not in the English pack")
    for key, contact in data["contacts"].items():
        words = translation["contacts"].get(key)
        if words is None:
            raise InvalidPack(f"{where}.contacts: missing {key!r}")
        if ("hours" in contact) != ("hours" in words):
            raise InvalidPack(f"{where}.contacts.{key}: hours must be translated where given")
    if extra_contacts := translation["contacts"].keys() - data["contacts"].keys():
        raise InvalidPack(f"{where}.contacts: {sorted(extra_contacts)} are not in the pack")


def _check_platform_translation(shared: Any, translation: Any, where: str) -> None:
    """Refuse a translation of platforms.yaml that leaves out, or adds, a platform, or leaves
    in English the words that stand for a platform that is an answer ("Somewhere else", read
    as "the app or site"): they are set inside a translated step."""
    if missing := shared["platforms"].keys() - translation["platforms"].keys():
        raise InvalidPack(f"{where}: missing {sorted(missing)}")
    if extra := translation["platforms"].keys() - shared["platforms"].keys():
        raise InvalidPack(f"{where}: {sorted(extra)} are not in platforms.yaml")
    for key, platform in shared["platforms"].items():
        if "in_a_sentence" in platform and not {"name", "in_a_sentence"} <= set(
            translation["platforms"][key]
        ):
            raise InvalidPack(
                f"{where}.platforms.{key}: name and in_a_sentence must be translated, since "
                "they are words and not a name"
            )
        if "in_a_sentence" in translation["platforms"][key] and "in_a_sentence" not in platform:
            raise InvalidPack(f"{where}.platforms.{key}: in_a_sentence is not in the English")


def _paragraphs(text: str) -> str:
    """Rewrap YAML block text: one line per paragraph, paragraphs split by a blank line."""
    return "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip())
