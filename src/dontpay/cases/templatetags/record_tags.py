"""Showing a report's record: look up answers, turn choice values into their labels, dates."""

from datetime import datetime
from typing import Any

from django import template

from dontpay.domain.reports import Field

register = template.Library()


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    """``{{ item|get:"username" }}``."""
    return mapping.get(key, "")


@register.filter
def choice_label(value: str, field: Field) -> str:
    """The label a person chose from, rather than its stored value."""
    return dict(field.choices).get(value, value) if field.choices else value


@register.filter
def iso_date(value: str) -> str:
    """An ISO date as "27 November 2026", a timestamp as "27 November 2026, 14:05"."""
    try:
        moment = datetime.fromisoformat(value)
        return moment.strftime("%-d %B %Y" if len(value) == 10 else "%-d %B %Y, %H:%M")
    except ValueError:
        return value
