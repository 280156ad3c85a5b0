"""Request and response shapes of ``POST /api/v1/match/dihedral``, as published."""

from ninja import Field, Schema
from pydantic import field_validator

from dontpay.domain.signals import DIHEDRAL_COUNT, DIHEDRAL_TRANSFORMS

from .schemas import _EXAMPLE_PDQ, MAX_MATCH_SIGNALS, PDQ_PATTERN, _pdq


class DihedralSignalIn(Schema):
    type: str = Field(
        description='The signal type: "pdq".',
        examples=["pdq"],
        json_schema_extra={"enum": ["pdq"]},
    )
    dihedral: list[str] = Field(
        min_length=DIHEDRAL_COUNT,
        max_length=DIHEDRAL_COUNT,
        description=(
            "The upload's eight PDQ hashes, in the order pdqhash.compute_dihedral gives them: "
            + ", ".join(DIHEDRAL_TRANSFORMS)
            + "."
        ),
        examples=[[_EXAMPLE_PDQ] * DIHEDRAL_COUNT],
        json_schema_extra={"items": {"type": "string", "pattern": PDQ_PATTERN}},
    )

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value != "pdq":
            raise ValueError(f"unknown signal type {value[:20]!r}; this endpoint matches pdq")
        return value

    @field_validator("dihedral")
    @classmethod
    def _valid_hashes(cls, values: list[str]) -> list[str]:
        problems, hashes = [], []
        for position, value in enumerate(values):
            try:
                hashes.append(_pdq(value))
            except ValueError as problem:
                problems.append(f"[{position}] {problem}")
        if problems:
            raise ValueError("; ".join(problems))
        return hashes


class DihedralMatchRequest(Schema):
    signals: list[DihedralSignalIn] = Field(max_length=MAX_MATCH_SIGNALS)


class DihedralMatchOut(Schema):
    entry: int = Field(description="The bank entry matched.")
    distance: int = Field(description="Bits that differ, 0-31, at the nearest transform.")
    transform: str = Field(
        description=(
            "Which of the upload's eight hashes matched: the upload turned this way is the "
            "banked picture (an upload turned 90 degrees anticlockwise matches as rotate-270)."
        ),
        json_schema_extra={"enum": list(DIHEDRAL_TRANSFORMS)},
    )


class DihedralSignalResult(Schema):
    signal: int = Field(description="The position of the signal in the request, from 0.")
    matches: list[DihedralMatchOut]


class DihedralMatchResponse(Schema):
    results: list[DihedralSignalResult]
