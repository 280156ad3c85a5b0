"""The case form caseworkers fill in: status, assignee and the police record."""

from typing import Any, ClassVar

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import capfirst

from dontpay.domain.stats.outcomes import OUTCOMES, outcome_contradicts_suspect
from dontpay.site.forms import IsoDateInput

from .models import Case


class CaseForm(forms.ModelForm):  # type: ignore[type-arg]
    """Every field a caseworker may change; outcome types show their Home Office names.

    Labels are the model's verbose names, so the form, the action log and the statistics
    page call each thing by the same name."""

    outcome_code = forms.TypedChoiceField(
        coerce=int,
        choices=[(code, f"{code}: {o.name}") for code, o in OUTCOMES.items()],
        label=capfirst(Case._meta.get_field("outcome_code").verbose_name),
    )

    class Meta:
        model = Case
        fields = (
            "status",
            "assignee",
            "force",
            "crime_reference",
            "offence",
            "recorded_on",
            "outcome_code",
            "outcome_date",
            "payment_made",
            "amount_paid",
            "currency",
            "suspect_identified",
        )
        widgets: ClassVar[dict[str, Any]] = {
            "recorded_on": IsoDateInput(),
            "outcome_date": IsoDateInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(staff__role__in=("caseworker", "admin"))
        self.fields["assignee"].queryset = staff  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code, when = data.get("outcome_code"), data.get("outcome_date")
        if code and not when:
            self.add_error("outcome_date", "Enter the date the outcome was recorded")
        recorded = data.get("recorded_on")
        if when and recorded and when < recorded:
            self.add_error("outcome_date", "The outcome date must be on or after the date recorded")
        amount = data.get("amount_paid")
        if amount is not None and amount < 0:
            self.add_error("amount_paid", "The amount paid cannot be negative")
        if amount and data.get("payment_made") is False:
            self.add_error("amount_paid", "An amount was paid, so payment made cannot be no")
        if data.get("suspect_identified") is not None and code:
            problem = outcome_contradicts_suspect(code, bool(data["suspect_identified"]))
            if problem:
                self.add_error("suspect_identified", problem)
        return data
