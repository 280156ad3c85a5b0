"""What the person has told us. Every answer but the jurisdiction may be missing."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from .pack import ENGLISH, LANGUAGES, available_jurisdictions, load_pack

Timing = Literal["now", "recent", "earlier"]
Images = Literal["threatened", "shared", "none"]
TIMINGS: tuple[Timing, ...] = ("now", "recent", "earlier")
IMAGES: tuple[Images, ...] = ("threatened", "shared", "none")
YES_NO_FIELDS = ("under_18", "self_harm", "paid", "still_in_contact")
FIELDS = ("jurisdiction", "timing", *YES_NO_FIELDS, "platforms", "images", "language")


class InvalidAnswer(ValueError):
    """An answer is missing, of the wrong kind or not one of the allowed values."""

    def __init__(self, field: str, problem: str, allowed: tuple[str, ...]) -> None:
        self.field = field
        self.allowed = allowed
        super().__init__(f"{field}: {problem}; allowed: {', '.join(allowed)}")


@dataclass(frozen=True)
class Answers:
    """Answers to the triage questions; ``None`` means "not answered". `language` is the
    language the plan is to be written in (any language with any jurisdiction)."""

    jurisdiction: str
    timing: Timing | None = None
    under_18: bool | None = None
    self_harm: bool | None = None
    paid: bool | None = None
    still_in_contact: bool | None = None
    platforms: tuple[str, ...] = ()
    images: Images | None = None
    language: str = ENGLISH


def parse_answers(data: object) -> Answers:
    """Check raw answers (as decoded from JSON) and return them as `Answers`.

    Raises `InvalidAnswer` naming the first bad field and the values it allows.
    """
    if not isinstance(data, Mapping):
        raise InvalidAnswer("answers", "must be a JSON object", FIELDS)
    for key in data:
        if key not in FIELDS:
            raise InvalidAnswer(str(key), "is not a question we ask", FIELDS)
    jurisdictions = available_jurisdictions()
    jurisdiction = data.get("jurisdiction")
    if jurisdiction not in jurisdictions:
        problem = "is required" if jurisdiction is None else f"{jurisdiction!r} has no guidance"
        raise InvalidAnswer("jurisdiction", problem, jurisdictions)
    assert isinstance(jurisdiction, str)
    platform_ids = tuple(load_pack(jurisdiction).platforms)
    return Answers(
        jurisdiction=jurisdiction,
        timing=cast(Timing | None, _one_of(data, "timing", TIMINGS)),
        under_18=_yes_no(data, "under_18"),
        self_harm=_yes_no(data, "self_harm"),
        paid=_yes_no(data, "paid"),
        still_in_contact=_yes_no(data, "still_in_contact"),
        platforms=_platforms(data, platform_ids),
        images=cast(Images | None, _one_of(data, "images", IMAGES)),
        language=_one_of(data, "language", LANGUAGES) or ENGLISH,
    )


def _one_of(data: Mapping[str, object], field: str, allowed: tuple[str, ...]) -> str | None:
    value = data.get(field)
    if value is None:
        return None
    if isinstance(value, str) and value in allowed:
        return value
    raise InvalidAnswer(field, f"{value!r} is not allowed", (*allowed, "null"))


def _yes_no(data: Mapping[str, object], field: str) -> bool | None:
    value = data.get(field)
    if value is None or isinstance(value, bool):
        return value
    raise InvalidAnswer(field, f"{value!r} is not true, false or null", ("true", "false", "null"))


def _platforms(data: Mapping[str, object], allowed: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get("platforms")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InvalidAnswer("platforms", "must be a list of platform ids", allowed)
    for item in value:
        if item not in allowed:
            raise InvalidAnswer("platforms", f"{item!r} is not a platform we know", allowed)
    return tuple(dict.fromkeys(cast(list[str], value)))
