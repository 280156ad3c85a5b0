"""A bar chart of reports and payments per year, as one self-contained, accessible SVG.

Self-contained because it is shown on pages with a strict CSP and embedded in PDF reports: no
fonts, links, scripts or styles from anywhere else, text in the reader's system font. The
`<title>` and `<desc>` give screen readers every value the bars show.
"""

import math
from xml.sax.saxutils import escape, quoteattr

from .foi import PERIOD_TYPES, Cell, FoiTables, PeriodType
from .serialise import suppressed

WIDTH = 640
HEIGHT = 400
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 88, 320
FONT_SIZE = 13
#: A generous width of one character of the label font, as a share of the font size, to leave
#: room for year labels without measuring text (an SVG has no layout step to ask).
CHARACTER_WIDTH = 0.62
#: More periods than this and the year labels are turned 45 degrees so they fit.
ROTATE_ABOVE = 10
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
INK = "#0b0c0c"
GREY = "#505a5f"
GRID = "#b1b4b6"
SERIES = (("reports", "Reports recorded", "#1d70b8"), ("payment_made", "Payment made", "#f47738"))
AXIS_LABELS: dict[PeriodType, str] = {
    "financial_year": "Financial year (1 April to 31 March), by date recorded",
    "calendar_year": "Calendar year, by date recorded",
}
TITLES: dict[PeriodType, str] = {
    "financial_year": "Reports and payments by financial year",
    "calendar_year": "Reports and payments by calendar year",
}
NO_DATA = "No reports in this period"


def bar_chart_svg(tables: FoiTables, by: str = "financial_year") -> str:
    """Two bars per year, reports recorded and payment made, with values, axes and a legend.

    `by` is "financial_year" or "calendar_year" (ValueError otherwise). Suppressed counts get no
    bar height, only their "<5" label, so the chart hides what the tables hide.
    """
    if by not in PERIOD_TYPES:
        raise ValueError(f"{by!r}: charts are by financial_year or calendar_year")
    kind = by
    below = tables.suppress_below
    values = {
        period: [counts.reports, counts.payment_made]
        for period, counts in sorted(tables.periods(kind).items())
    }
    title = TITLES[kind]
    ids = f"foi-chart-{kind.replace('_', '-')}"
    axis_title_y = BOTTOM + period_labels_depth(list(values)) + 10 + FONT_SIZE
    height = max(HEIGHT, axis_title_y + 14)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{ids}-title {ids}-desc"'
        f' font-family={quoteattr(FONT)} font-size="{FONT_SIZE}" fill={quoteattr(INK)}>',
        f'<title id="{ids}-title">{escape(title)}</title>',
        f'<desc id="{ids}-desc">{escape(_description(values, below, kind))}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="28" font-size="17" font-weight="bold">{escape(title)}</text>',
    ]
    if not values or tables.total.reports == 0:
        parts.append(
            f'<text x="{WIDTH / 2:.0f}" y="{(TOP + BOTTOM) / 2:.0f}" text-anchor="middle"'
            f' font-size="16" fill="{GREY}">{escape(NO_DATA)}</text>'
        )
    else:
        parts.extend(_legend())
        parts.extend(_axes(max(max(pair) for pair in values.values()), kind, axis_title_y))
        parts.extend(_bars(values, below))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _description(values: dict[str, list[int]], below: int, kind: PeriodType) -> str:
    if not any(pair[0] for pair in values.values()):
        return f"{NO_DATA}."
    years = "; ".join(
        f"{period}: {suppressed(reports, below)} reported, {suppressed(paid, below)} paid"
        for period, (reports, paid) in values.items()
    )
    basis = "financial year" if kind == "financial_year" else "calendar year"
    return f"Reports recorded and reports where a payment was made, by {basis}. {years}."


def _legend() -> list[str]:
    parts = []
    x = LEFT
    for _, label, colour in SERIES:
        parts.append(f'<rect x="{x}" y="46" width="14" height="14" fill="{colour}"/>')
        parts.append(f'<text x="{x + 20}" y="58">{escape(label)}</text>')
        x += 28 + 8 * len(label)
    return parts


def _scale(highest: int) -> tuple[int, int]:
    """A round axis top and tick step: at most five steps of 1, 2 or 5 times a power of ten."""
    step = 1
    while math.ceil(highest / step) > 5:
        for factor in (2, 5 / 2, 2):
            step = int(step * factor)
            if math.ceil(highest / step) <= 5:
                break
    return max(step * math.ceil(highest / step), step), step


def _y(value: int, top: int) -> float:
    return BOTTOM - (BOTTOM - TOP) * value / top


def period_labels_depth(periods: list[str]) -> int:
    """How far below the axis the year labels reach: one line, or turned 45 degrees when there
    are many, so the axis title can go below them instead of across them."""
    first_line = 18
    if len(periods) <= ROTATE_ABOVE:
        return first_line + 4
    longest = max(len(period) for period in periods) * CHARACTER_WIDTH * FONT_SIZE
    return first_line + math.ceil(longest * math.sin(math.pi / 4)) + 4


def _axes(highest: int, kind: PeriodType, axis_title_y: int) -> list[str]:
    top, step = _scale(highest)
    parts = []
    for tick in range(0, top + 1, step):
        y = _y(tick, top)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}"'
            f' stroke="{GRID if tick else GREY}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="{GREY}">{tick}</text>'
        )
    middle = (TOP + BOTTOM) / 2
    parts.append(
        f'<text x="18" y="{middle:.0f}" text-anchor="middle"'
        f' transform="rotate(-90 18 {middle:.0f})">Number of reports</text>'
    )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.0f}" y="{axis_title_y}"'
        f' text-anchor="middle">{escape(AXIS_LABELS[kind])}</text>'
    )
    return parts


def _bars(values: dict[str, list[int]], below: int) -> list[str]:
    highest = max(max(pair) for pair in values.values())
    top, _ = _scale(highest)
    slot = (WIDTH - RIGHT - LEFT) / len(values)
    bar = min(40.0, slot * 0.38)
    rotate = len(values) > ROTATE_ABOVE
    parts = []
    for index, (period, pair) in enumerate(values.items()):
        centre = LEFT + slot * (index + 0.5)
        for which, ((name, label, colour), value) in enumerate(zip(SERIES, pair, strict=True)):
            shown: Cell = suppressed(value, below)
            height = 0.0 if isinstance(shown, str) else BOTTOM - _y(value, top)
            x = centre - bar - 1 if which == 0 else centre + 1
            parts.append(
                f'<rect class="bar {name}" x="{x:.1f}" y="{BOTTOM - height:.1f}"'
                f' width="{bar:.1f}" height="{height:.1f}" fill="{colour}">'
                f"<title>{escape(f'{period}: {label}: {shown}')}</title></rect>"
            )
            if bar >= 14:
                parts.append(
                    f'<text x="{x + bar / 2:.1f}" y="{BOTTOM - height - 5:.1f}"'
                    f' text-anchor="middle" font-size="12">{escape(str(shown))}</text>'
                )
        y = BOTTOM + 18
        anchor = (
            f' text-anchor="end" transform="rotate(-45 {centre:.1f} {y})"'
            if rotate
            else ' text-anchor="middle"'
        )
        parts.append(f'<text x="{centre:.1f}" y="{y}"{anchor}>{escape(period)}</text>')
    return parts
