"""One form per question page, built from a `Question`."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .questions import NOT_SURE, Question


class _ExclusiveChoices(forms.MultipleChoiceField):
    """Checkboxes where "not sure" cannot be ticked together with real answers.

    With JavaScript, GOV.UK Frontend unticks the others; without it, the person is asked.
    """

    def validate(self, value: Any) -> None:
        super().validate(value)
        if NOT_SURE in value and len(value) > 1:
            raise forms.ValidationError(
                _("Select the apps or sites they used, or “I'd rather not say”, not both")
            )


def form_for(
    question: Question, data: Mapping[str, Any] | None = None, initial: object = None
) -> forms.Form:
    """A form with a single required field named ``answer``."""
    field_class = _ExclusiveChoices if question.multiple else forms.ChoiceField
    field = field_class(
        choices=question.choices,
        widget=forms.CheckboxSelectMultiple if question.multiple else forms.RadioSelect,
        error_messages={"required": question.error, "invalid_choice": question.error},
    )
    form = forms.Form(data=data, initial={"answer": initial} if initial is not None else None)
    form.fields["answer"] = field
    return form
