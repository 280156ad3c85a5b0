"""The Home Office outcome table: complete, grouped, and consistent with identified suspects."""

import pytest

from dontpay.domain.stats import (
    OUTCOME_GROUPS,
    OUTCOMES,
    OUTCOMES_NEEDING_A_SUSPECT,
    OUTCOMES_WITHOUT_A_SUSPECT,
    OutcomeType,
    UnknownOutcome,
    outcome,
    outcome_contradicts_suspect,
)


def test_outcome_table_holds_every_code_from_0_to_22_in_order() -> None:
    assert list(OUTCOMES) == list(range(23))
    assert all(OUTCOMES[code].code == code for code in OUTCOMES)
    assert all(OUTCOMES[code].name for code in OUTCOMES)


def test_every_assigned_outcome_has_a_known_group_and_every_group_is_used() -> None:
    assigned = [o for o in OUTCOMES.values() if o.assigned]
    assert len(assigned) == 22
    assert all(o.group in OUTCOME_GROUPS for o in assigned)
    assert {o.group for o in assigned} == set(OUTCOME_GROUPS)
    assert len(set(OUTCOME_GROUPS)) == len(OUTCOME_GROUPS)


def test_outcome_0_is_not_assigned_and_has_no_group() -> None:
    assert OUTCOMES[0] == OutcomeType(0, "Not yet assigned", "")
    assert not OUTCOMES[0].assigned


@pytest.mark.parametrize(
    ("code", "name", "group"),
    [
        (1, "Charged/summonsed", "Charged/Summonsed"),
        (3, "Caution - adults", "Out-of-court (formal)"),
        (8, "Community resolution", "Out-of-court (informal)"),
        (14, "Evidential difficulties: suspect not identified; victim does not support "
         "further action", "Evidential difficulties (victim does not support action)"),
        (18, "Investigation complete - no suspect identified",
         "Investigation complete - no suspect identified"),
        (22, "Diversionary, educational or intervention activity", "Diversionary activity"),
    ],
)  # fmt: skip
def test_outcome_names_and_groups_follow_the_home_office(code: int, name: str, group: str) -> None:
    assert outcome(code) == OutcomeType(code, name, group)


def test_outcome_groups_are_in_the_order_of_their_first_outcome() -> None:
    firsts = [min(o.code for o in OUTCOMES.values() if o.group == g) for g in OUTCOME_GROUPS]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize("code", [-1, 23, 100, True, "8", 8.0, None])
def test_unknown_outcome_is_a_value_error_naming_the_code(code: object) -> None:
    with pytest.raises(UnknownOutcome, match="not a Home Office outcome type") as caught:
        outcome(code)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == code


@pytest.mark.parametrize("code", sorted(OUTCOMES_NEEDING_A_SUSPECT))
def test_outcomes_given_to_someone_need_an_identified_suspect(code: int) -> None:
    assert outcome_contradicts_suspect(code, suspect_identified=True) is None
    assert outcome_contradicts_suspect(code, suspect_identified=False) == (
        f"outcome {code} ({OUTCOMES[code].name}) needs an identified suspect"
    )


def test_outcome_18_contradicts_an_identified_suspect() -> None:
    assert {18} == OUTCOMES_WITHOUT_A_SUSPECT
    assert outcome_contradicts_suspect(18, suspect_identified=False) is None
    assert outcome_contradicts_suspect(18, suspect_identified=True) == (
        "outcome 18 (Investigation complete - no suspect identified) means no suspect was "
        "identified"
    )


@pytest.mark.parametrize(
    "code", sorted(set(OUTCOMES) - OUTCOMES_NEEDING_A_SUSPECT - OUTCOMES_WITHOUT_A_SUSPECT)
)
def test_other_outcomes_go_with_or_without_a_suspect(code: int) -> None:
    assert outcome_contradicts_suspect(code, suspect_identified=True) is None
    assert outcome_contradicts_suspect(code, suspect_identified=False) is None


def test_contradiction_check_refuses_unknown_outcomes() -> None:
    with pytest.raises(UnknownOutcome):
        outcome_contradicts_suspect(23, suspect_identified=True)
