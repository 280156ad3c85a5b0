"""Showing a report's record: look up answers, turn choice values into their labels, dates."""

from datetime import UTC, date, datetime
from typing import Any

from django import template

from dontpay.domain.reports import Field
from dontpay.domain.stats.serialise import suppressed as shown_count

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
def numbered(title: str, number: int) -> str:
    """A repeatable section's heading for one item, as written: "Account {number}" → "Account 3"."""
    return title.format(number=number)


@register.filter
def iso_date(value: str | date | datetime | None) -> str:
    """Dates and times in one form everywhere: "1 November 2026", "1 November 2026, 14:05 UTC".

    A moment that knows its time zone is shown in UTC and says so. A time the person typed
    (a deadline) has no zone, so it is shown as written, without one. Anything that is not a
    date comes back unchanged.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    else:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return f"{moment.day} {moment:%B %Y}"
    if moment.tzinfo is None:
        return f"{moment.day} {moment:%B %Y, %H:%M}"
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"


@register.filter
def answer(value: str, field: Field) -> str:
    """An answer as a person reads it: a choice's label, a date in words."""
    if field.kind in ("date", "datetime"):
        return iso_date(value)
    return choice_label(value, field)


@register.filter
def govuk_widget(field: Any) -> Any:
    """Render a form field's widget with the GOV.UK class for its kind."""
    widget = field.field.widget
    kind = type(widget).__name__
    css = {
        "Select": "govuk-select",
        "NullBooleanSelect": "govuk-select",
        "Textarea": "govuk-textarea",
    }.get(kind, "govuk-input")
    if field.errors:
        css += f" {css}--error"
    return field.as_widget(attrs={"class": css})


@register.filter
def foi_periods(tables: Any) -> list[tuple[str, list[tuple[str, Any]]]]:
    """The tables to show, titled, each as (period, counts) rows with the total last."""
    return [
        (title, [*periods.items(), ("Total", tables.total)])
        for title, periods in (
            ("By financial year (1 April to 31 March)", tables.by_financial_year),
            ("By calendar year", tables.by_calendar_year),
        )
    ]


@register.filter
def suppressed(count: int, below: int) -> Any:
    """A count as published: "<5" when suppression hides it."""
    return shown_count(count, below)
