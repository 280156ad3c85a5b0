"""The statistics chart laid out by a real browser: no label runs into another."""

from datetime import date

import pytest
from playwright.sync_api import Browser

from dontpay.domain.stats import CaseRecord, bar_chart_svg, foi_tables

pytestmark = pytest.mark.browser


def _records(years: range) -> list[CaseRecord]:
    return [
        CaseRecord(
            reference=f"R-{year}-{n}",
            recorded_on=date(year, 6, 1),
            offence="blackmail",
            payment_made=n == 0,
            amount_paid=None,
            currency="",
            suspect_identified=False,
            outcome_code=18,
            outcome_date=date(year, 7, 1),
            victim_age_band="unknown",
            platforms=(),
        )
        for year in years
        for n in range(1 + year % 4)
    ]


@pytest.mark.parametrize(
    ("years", "by"),
    [
        (range(2014, 2019), "financial_year"),
        (range(2005, 2025), "financial_year"),
        (range(2005, 2025), "calendar_year"),
    ],
)
def test_the_axis_title_clears_the_year_labels(browser: Browser, years: range, by: str) -> None:
    svg = bar_chart_svg(foi_tables(_records(years)), by)
    page = browser.new_page()
    try:
        page.set_content(f"<!DOCTYPE html><body style='margin:0'>{svg}</body>")
        boxes = page.evaluate(
            """() => [...document.querySelectorAll("text")].map(t => {
                const r = t.getBoundingClientRect();
                return {text: t.textContent, top: r.top, bottom: r.bottom, left: r.left,
                        right: r.right};
            })"""
        )
        height = page.evaluate("document.querySelector('svg').getBoundingClientRect().height")
    finally:
        page.close()
    title = next(b for b in boxes if b["text"].endswith("by date recorded"))
    labels = [b for b in boxes if b["text"][:2] in ("20", "19") and len(b["text"]) <= 7]
    assert len(labels) == len(years)
    lowest = max(label["bottom"] for label in labels)
    assert title["top"] >= lowest, (title, lowest)
    assert title["bottom"] <= height
