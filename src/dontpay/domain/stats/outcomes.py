"""The Home Office crime outcomes framework (England and Wales): outcome types 0-22 and groups.

Every crime the police record is closed with one outcome type under the Home Office Counting
Rules (HOCR, section H). FOI answers and the Home Office open data count by these numbers, so
our statistics use the same numbers and the same outcome groups.

Sources (see `shared/research/guidance-sources.md`, section 2):

- Home Office, *Crime outcomes in England and Wales: technical annex*, and the police recorded
  crime open-data tables user guide (numbering, outcome groups);
- West Midlands Police FOI 347A/22 (official wording of outcomes 1A, 3, 3A, 4, 8, 14, 15, 16, 18,
  20 and 21) and WMP FOI 1887A/23 (cautions: 2 youths, 3 adults, both including conditional);
- Cleveland Police FOI 38-25 (outcome 21); YJLC and Kingsley Napley notes (outcome 22, from
  1 April 2019); a Gwent Police FOI on crime outcomes, April 2024 to March 2025 (the
  outcome groups).

The short names below are the Home Office's, shortened where they run long. The long wording of
outcomes 5, 9-13, 17 and 19 was paraphrased from secondary sources, not read from the HOCR text.
The sources give the group of outcome 19 only as "(NFIB)"; its group name here is ours. Names
use a plain hyphen where the Home Office prints a dash. Sub-codes 1A, 2A and 3A (charge or
caution for an alternative offence) count under 1, 2 and 3.

Outcome 0 ("not yet assigned") appears in the open data for crimes still under investigation. It
is not an outcome and belongs to no group, so group totals leave it out; FOI tables still count
it under "0", so open cases stay visible.
"""

from dataclasses import dataclass


class UnknownOutcome(ValueError):
    """A number that is not a Home Office outcome type (0-22)."""

    def __init__(self, code: object) -> None:
        self.code = code
        super().__init__(f"{code!r} is not a Home Office outcome type (0 to 22)")


@dataclass(frozen=True)
class OutcomeType:
    """One Home Office outcome type: its number, short name and open-data outcome group."""

    code: int
    name: str
    group: str

    @property
    def assigned(self) -> bool:
        """False only for 0: the crime has no outcome yet, so it counts in no outcome total."""
        return self.code != 0


CHARGED = "Charged/Summonsed"
OUT_OF_COURT_FORMAL = "Out-of-court (formal)"
TAKEN_INTO_CONSIDERATION = "Taken into consideration"
PROSECUTION_PREVENTED = "Prosecution prevented or not in the public interest"
OUT_OF_COURT_INFORMAL = "Out-of-court (informal)"
VICTIM_DOES_NOT_SUPPORT = "Evidential difficulties (victim does not support action)"
SUSPECT_IDENTIFIED_VICTIM_SUPPORTS = "Evidential difficulties (suspect identified; victim supports)"
NO_SUSPECT = "Investigation complete - no suspect identified"
NFIB = "National Fraud Intelligence Bureau filed"
TRANSFERRED = "Responsibility transferred to another body"
FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = (
    "Further investigation not in the public interest (police decision)"
)
DIVERSIONARY = "Diversionary activity"

#: The outcome groups in the order tables show them: the order of their first outcome type.
OUTCOME_GROUPS: tuple[str, ...] = (
    CHARGED,
    OUT_OF_COURT_FORMAL,
    TAKEN_INTO_CONSIDERATION,
    PROSECUTION_PREVENTED,
    OUT_OF_COURT_INFORMAL,
    VICTIM_DOES_NOT_SUPPORT,
    SUSPECT_IDENTIFIED_VICTIM_SUPPORTS,
    NO_SUSPECT,
    NFIB,
    TRANSFERRED,
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST,
    DIVERSIONARY,
)

_TABLE: tuple[tuple[str, str], ...] = (
    ("Not yet assigned", ""),
    ("Charged/summonsed", CHARGED),
    ("Caution - youths", OUT_OF_COURT_FORMAL),
    ("Caution - adults", OUT_OF_COURT_FORMAL),
    ("Taken into consideration", TAKEN_INTO_CONSIDERATION),
    ("Offender has died", PROSECUTION_PREVENTED),
    ("Penalty Notice for Disorder", OUT_OF_COURT_FORMAL),
    ("Cannabis/khat warning", OUT_OF_COURT_INFORMAL),
    ("Community resolution", OUT_OF_COURT_INFORMAL),
    ("Prosecution not in the public interest (CPS)", PROSECUTION_PREVENTED),
    ("Formal action not in the public interest (police)", PROSECUTION_PREVENTED),
    (
        "Prosecution prevented - suspect below the age of criminal responsibility",
        PROSECUTION_PREVENTED,
    ),
    ("Prosecution prevented - suspect too ill to prosecute", PROSECUTION_PREVENTED),
    ("Prosecution prevented - victim or key witness dead or too ill", PROSECUTION_PREVENTED),
    (
        "Evidential difficulties: suspect not identified; victim does not support further action",
        VICTIM_DOES_NOT_SUPPORT,
    ),
    (
        "Evidential difficulties: suspect identified; victim supports action",
        SUSPECT_IDENTIFIED_VICTIM_SUPPORTS,
    ),
    (
        "Evidential difficulties: suspect identified; victim does not support action",
        VICTIM_DOES_NOT_SUPPORT,
    ),
    ("Prosecution time limit expired", PROSECUTION_PREVENTED),
    ("Investigation complete - no suspect identified", NO_SUSPECT),
    ("NFIB filed: insufficient lines of enquiry", NFIB),
    ("Responsibility for further investigation transferred to another body", TRANSFERRED),
    (
        "Further investigation not in the public interest (police decision)",
        FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST,
    ),
    ("Diversionary, educational or intervention activity", DIVERSIONARY),
)

#: Every outcome type by number, 0 to 22.
OUTCOMES: dict[int, OutcomeType] = {
    code: OutcomeType(code, name, group) for code, (name, group) in enumerate(_TABLE)
}

#: Outcomes the HOCR give only when the police have identified a suspect (a charge, a caution,
#: an offence taken into consideration, a penalty notice, a warning, a community resolution,
#: evidential difficulties with a named suspect, a time limit on prosecuting one).
OUTCOMES_NEEDING_A_SUSPECT = frozenset({1, 2, 3, 4, 6, 7, 8, 15, 16, 17})
#: Outcomes that say no suspect was identified.
OUTCOMES_WITHOUT_A_SUSPECT = frozenset({18})


def outcome(code: int) -> OutcomeType:
    """The outcome type numbered `code`; raises `UnknownOutcome` for anything else."""
    if isinstance(code, bool) or not isinstance(code, int) or code not in OUTCOMES:
        raise UnknownOutcome(code)
    return OUTCOMES[code]


def outcome_contradicts_suspect(outcome_code: int, suspect_identified: bool) -> str | None:
    """Why an outcome cannot go with whether a suspect was identified, or None if it can.

    A community resolution or a caution is given *to* someone, so it needs an identified
    suspect; outcome 18 says none was found. A record breaking this was miscoded, and counting it
    would make "suspect identified" and the outcome columns of an FOI table disagree.
    """
    named = f"outcome {outcome_code} ({outcome(outcome_code).name})"
    if outcome_code in OUTCOMES_NEEDING_A_SUSPECT and not suspect_identified:
        return f"{named} needs an identified suspect"
    if outcome_code in OUTCOMES_WITHOUT_A_SUSPECT and suspect_identified:
        return f"{named} means no suspect was identified"
    return None
