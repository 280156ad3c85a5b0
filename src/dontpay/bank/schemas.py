"""The shapes of API requests and responses, as published in the OpenAPI schema."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import BaseModel, field_validator

from dontpay.domain.signals import InvalidSignal, parse_pdq

from .feed import DEFAULT_PAGE, MAX_PAGE

#: Hashes matched in one request.
MAX_MATCH_SIGNALS = 1000
#: Frames in one video query: three hours at vPDQ's one frame a second.
MAX_VIDEO_FEATURES = 10_800

_EXAMPLE_PDQ = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
#: Published in the schema; the validators below enforce it with messages that say what is wrong.
PDQ_PATTERN = "^[0-9a-fA-F]{64}$"
#: A cursor is URL-safe base64, as `next` returns it.
CURSOR_PATTERN = "^[A-Za-z0-9_-]*$"
MAX_CURSOR_LENGTH = 64


def _pdq(value: str) -> str:
    if value != value.strip():
        raise ValueError("PDQ hash has spaces around it; send the 64 hex digits alone")
    try:
        return parse_pdq(value)
    except InvalidSignal as problem:
        raise ValueError(str(problem)) from None


class SignalIn(BaseModel):
    """Plain pydantic, like `MatchRequest`: ninja's `Schema` wraps every object it validates
    to read Django models, which cost more than the rest of a 100-hash match together."""

    type: str = Field(
        description='The signal type: "pdq".',
        examples=["pdq"],
        json_schema_extra={"enum": ["pdq"]},
    )
    value: str = Field(
        description="A PDQ hash: 64 hex digits.",
        examples=[_EXAMPLE_PDQ],
        json_schema_extra={"pattern": PDQ_PATTERN},
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value != "pdq":
            hint = " (videos: POST /api/v1/match/video)" if value == "vpdq" else ""
            raise ValueError(f"unknown signal type {value[:20]!r}; this endpoint matches pdq{hint}")
        return value

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: str) -> str:
        return _pdq(value)


class MatchRequest(BaseModel):
    signals: list[SignalIn] = Field(max_length=MAX_MATCH_SIGNALS)


class MatchOut(Schema):
    entry: int = Field(description="The bank entry matched.")
    distance: int = Field(description="Bits that differ, 0-31.")


class SignalResult(Schema):
    signal: int = Field(description="The position of the signal in the request, from 0.")
    matches: list[MatchOut]


class MatchResponse(Schema):
    results: list[SignalResult]


class FeatureIn(Schema):
    frame_number: int = Field(ge=0)
    quality: int = Field(ge=0, le=100)
    hash: str = Field(
        description="The frame's PDQ hash: 64 hex digits.",
        examples=[_EXAMPLE_PDQ],
        json_schema_extra={"pattern": PDQ_PATTERN},
    )
    timestamp: float = Field(ge=0, allow_inf_nan=False, description="Seconds from the start.")

    @field_validator("frame_number", "quality", "timestamp", mode="before")
    @classmethod
    def _a_json_number(cls, value: object) -> object:
        # As the schema says: a JSON number; `true` or "5" is not one (pydantic would take them).
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a JSON number")
        return value

    @field_validator("hash")
    @classmethod
    def _valid_hash(cls, value: str) -> str:
        return _pdq(value)


class VideoMatchRequest(Schema):
    features: list[FeatureIn] = Field(min_length=1, max_length=MAX_VIDEO_FEATURES)


class VideoMatchOut(Schema):
    entry: int
    query_share: float = Field(description="Share of the query's frames found in the bank video.")
    bank_share: float = Field(description="Share of the bank video's frames found in the query.")


class VideoMatchResponse(Schema):
    matches: list[VideoMatchOut]


class FeedQuery(Schema):
    since: str = Field(
        "",
        description="The `next` of the last page; empty to start.",
        # Published; the feed refuses anything else as "not a cursor this server handed out".
        json_schema_extra={"pattern": CURSOR_PATTERN, "maxLength": MAX_CURSOR_LENGTH},
    )
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Changes per page.")


class ChangeOut(Schema):
    entry: int
    type: str = Field(examples=["pdq"])
    value: str = Field(description="PDQ: 64 hex digits; vPDQ: lines frame,quality,hash,time.")
    change: str = Field(examples=["added", "withdrawn"])
    at: datetime


class FeedResponse(Schema):
    changes: list[ChangeOut]
    next: str = Field(description="The cursor to pass as `since` next time.")
    more: bool = Field(description="Whether more changes are waiting now.")


class ImportResponse(Schema):
    case_number: str = Field(description="Withdraw the imported set with this and the PIN.")
    pin: str = Field(description="Shown only this once.")
    imported: int
    skipped: dict[str, int] = Field(description="Lines of other signal types, by type.")


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[str] | None = None
