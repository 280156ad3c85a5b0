"""Request and response shapes of the match feedback endpoints, as published."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

#: Bank entry numbers are 64-bit database keys.
MAX_ENTRY = 2**63 - 1

Verdict = Literal["confirmed", "false_positive"]


class EntryPath(Schema):
    entry: int = Field(ge=1, le=MAX_ENTRY, description="The bank entry a match reported.")

    @field_validator("entry", mode="before")
    @classmethod
    def _plain_digits(cls, value: object) -> object:
        # As the schema says: an integer in ASCII digits; not "+1", "1.0", " 1" or Arabic digits.
        if isinstance(value, str) and not (value.isascii() and value.isdigit()):
            raise ValueError("must be a whole number written in the digits 0-9")
        return value


class FeedbackIn(Schema):
    verdict: Verdict = Field(
        description=("confirmed: the upload was the person's image; false_positive: it was not."),
    )


class FeedbackOut(Schema):
    entry: int
    verdict: Verdict
    given_at: datetime = Field(description="When this token first gave feedback on the entry.")
    changed_at: datetime = Field(description="When this token last changed its verdict.")
