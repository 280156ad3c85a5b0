"""FOI statistics for analysts: the tables, a chart, and CSV, XLSX and PDF exports."""

import base64
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dontpay.accounts.access import requires
from dontpay.accounts.audit import audit
from dontpay.domain.stats import FoiTables, bar_chart_svg, foi_csv, foi_xlsx
from dontpay.domain.stats.outcomes import OUTCOMES

from .models import Case
from .pdf import render_pdf
from .statistics import statistics

EXPORTS = {
    "csv": ("text/csv", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
    "svg": ("image/svg+xml", "svg"),
}


#: A problem with the options, as (the id of the control it is about, the message).
Problem = tuple[str, str]


def _options(request: HttpRequest) -> tuple[dict[str, str], list[Problem], FoiTables | None]:
    values = {k: request.GET.get(k, "").strip() for k in ("from", "to", "suppress")}
    errors: list[Problem] = []
    dates: dict[str, date | None] = {}
    for key in ("from", "to"):
        try:
            dates[key] = date.fromisoformat(values[key]) if values[key] else None
        except ValueError:
            errors.append(
                (key, f"Enter the \u2018{key}\u2019 date as a real date, like 2026-04-01")
            )
    start, end = dates.get("from"), dates.get("to")
    if start and end and end < start:
        errors.append(
            ("to", "The \u2018to\u2019 date must be the same as or after the \u2018from\u2019 date")
        )
    suppress = 0
    if values["suppress"]:
        if values["suppress"].isascii() and values["suppress"].isdigit():
            suppress = int(values["suppress"])
        else:
            errors.append(("suppress", "Enter the suppression threshold as a whole number, like 5"))
    if errors:
        return values, errors, None
    try:
        return values, [], statistics(start, end, suppress)
    except ValueError as problem:
        return values, [("from", str(problem).capitalize())], None


@requires("stats.view")
def statistics_page(request: HttpRequest) -> HttpResponse:
    values, errors, tables = _options(request)
    audit(request, "stats.viewed", "FOI statistics")
    return render(
        request,
        "cases/staff/statistics.html",
        {
            "values": values,
            "errors": errors,
            "field_errors": dict(errors),
            "tables": tables,
            "recorded_label": Case._meta.get_field("recorded_on").verbose_name,
            "outcome_names": {str(c): o.name for c, o in OUTCOMES.items()},
            "query": request.GET.urlencode(),
        },
        status=400 if errors else 200,
    )


@requires("stats.view")
def statistics_export(request: HttpRequest, kind: str) -> HttpResponse:
    """The same tables as a file: CSV, XLSX, PDF, or the SVG chart."""
    if kind not in EXPORTS:
        return HttpResponse(status=404)
    _, errors, tables = _options(request)
    if tables is None:
        message = "; ".join(text for _, text in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    if kind != "svg":
        audit(request, "stats.exported", "FOI statistics", format=kind)
    content: bytes | str
    if kind == "csv":
        content = foi_csv(tables)
    elif kind == "xlsx":
        content = foi_xlsx(tables)
    elif kind == "svg":
        content = bar_chart_svg(tables)
    else:
        content = _pdf(tables)
    media_type, extension = EXPORTS[kind]
    response = HttpResponse(content, content_type=media_type)
    if kind != "svg":
        response["Content-Disposition"] = f'attachment; filename="foi-statistics.{extension}"'
    return response


def _pdf(tables: FoiTables) -> bytes:
    return render_pdf("cases/staff/statistics_pdf.html", statistics_pdf_context(tables))


def statistics_pdf_context(tables: FoiTables) -> dict[str, object]:
    """What the statistics PDF shows: the tables, the chart, and when it was produced."""
    chart = base64.b64encode(bar_chart_svg(tables).encode()).decode("ascii")
    return {
        "tables": tables,
        "chart": f"data:image/svg+xml;base64,{chart}",
        "outcome_names": {str(c): o.name for c, o in OUTCOMES.items()},
        "recorded_label": Case._meta.get_field("recorded_on").verbose_name,
        "produced_at": timezone.now(),
    }
