"""Request and response shapes of the match feedback endpoints, as published."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

#: Bank entry numbers are 64-bit database keys.
MAX_ENTRY = 2**63 - 1

Verdict = Literal["confirmed", "false_positive"]


class EntryPath(Schema):
    entry: int = Field(ge=1, le=MAX_ENTRY, description="The bank entry a match reported.")


class FeedbackIn(Schema):
    verdict: Verdict = Field(
        description=("confirmed: the upload was the person's image; false_positive: it was not."),
    )


class FeedbackOut(Schema):
    entry: int
    verdict: Verdict
    given_at: datetime = Field(description="When this token first gave feedback on the entry.")
    changed_at: datetime = Field(description="When this token last changed its verdict.")
