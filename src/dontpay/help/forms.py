"""One form per question page, built from a `Question`."""

from collections.abc import Mapping
from typing import Any

from django import forms

from .questions import Question


def form_for(
    question: Question, data: Mapping[str, Any] | None = None, initial: object = None
) -> forms.Form:
    """A form with a single required field named ``answer``."""
    field_class = forms.MultipleChoiceField if question.multiple else forms.ChoiceField
    field = field_class(
        choices=question.choices,
        widget=forms.CheckboxSelectMultiple if question.multiple else forms.RadioSelect,
        error_messages={"required": question.error, "invalid_choice": question.error},
    )
    form = forms.Form(data=data, initial={"answer": initial} if initial is not None else None)
    form.fields["answer"] = field
    return form
