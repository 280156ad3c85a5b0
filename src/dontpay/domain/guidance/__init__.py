"""Guidance packs and the engine that turns a person's answers into an action plan."""

from .answers import Answers, InvalidAnswer, parse_answers
from .pack import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Contact,
    InvalidPack,
    Pack,
    Platform,
    Source,
    Translation,
    UnknownJurisdiction,
    UnknownLanguage,
    available_jurisdictions,
    load_pack,
)
from .plan import Plan, Step, Urgency, build_plan, may_hash_on_device
from .serialise import plan_as_dict

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "Answers",
    "Contact",
    "InvalidAnswer",
    "InvalidPack",
    "Pack",
    "Plan",
    "Platform",
    "Source",
    "Step",
    "Translation",
    "UnknownJurisdiction",
    "UnknownLanguage",
    "Urgency",
    "available_jurisdictions",
    "build_plan",
    "load_pack",
    "may_hash_on_device",
    "parse_answers",
    "plan_as_dict",
]
