"""The structured record of a report: what to write down, and how each answer is checked."""

from .record import (
    SECTIONS,
    Field,
    InvalidRecord,
    Section,
    check_lengths,
    check_room_for_item,
    clean_section,
    empty_record,
    section,
)
from .references import new_passphrase, new_reference, normalise_reference
from .summary import Summary, TimelineEntry, summarise, timeline

__all__ = [
    "SECTIONS",
    "Field",
    "InvalidRecord",
    "Section",
    "Summary",
    "TimelineEntry",
    "check_lengths",
    "check_room_for_item",
    "clean_section",
    "empty_record",
    "new_passphrase",
    "new_reference",
    "normalise_reference",
    "section",
    "summarise",
    "timeline",
]
