"""A change to a case, described in the words on the form: "Payment made: not known → yes"."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Field, Model
from django.utils.text import capfirst

from dontpay.domain.stats.outcomes import OUTCOMES

from .models import Case

#: How a yes/no/unknown answer reads.
_ANSWERS = {None: "not known", True: "yes", False: "no"}


@dataclass(frozen=True)
class Change:
    """One field of a case, before and after, both as stored and as a person reads them."""

    name: str
    label: str
    before: str
    after: str
    stored_before: str
    stored_after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} \N{RIGHTWARDS ARROW} {self.after}"


def snapshot(case: Case, names: tuple[str, ...]) -> dict[str, Any]:
    """The values of `names` now, to compare with after a save."""
    return {name: getattr(case, name) for name in names}


def changes_between(case: Case, before: dict[str, Any], names: list[str]) -> list[Change]:
    """What differs between `before` and the case now, for the fields in `names`."""
    changes = []
    for name in names:
        old, new = before[name], getattr(case, name)
        if old == new:
            continue
        changes.append(
            Change(
                name=name,
                label=label(name),
                before=shown(case, name, old),
                after=shown(case, name, new),
                stored_before=_stored(old),
                stored_after=_stored(new),
            )
        )
    return changes


def label(name: str) -> str:
    """A case field's label: its verbose name, capitalised."""
    field = Case._meta.get_field(name)
    assert isinstance(field, Field)
    return str(capfirst(field.verbose_name))


def shown(case: Case, name: str, value: Any) -> str:
    """A stored value as the form shows it: choice labels, outcome names, dates in words."""
    field = Case._meta.get_field(name)
    if isinstance(field, BooleanField):
        return _ANSWERS[value]
    if value is None or value == "":
        return "none"
    if name == "outcome_code":
        return f"{value}: {OUTCOMES[value].name}" if value in OUTCOMES else str(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, Model):
        return str(value)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def _stored(value: Any) -> str:
    if isinstance(value, Model):
        return str(value.pk)
    return "" if value is None else str(value)
