"""The person's choices about their record: send it (and choose what), withdraw it, let the
offender's details link it to other reports, and the fingerprints kept in it. Views parse,
call `dontpay.cases.sharing` or `dontpay.bank`, and render."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dontpay.bank.submissions import withdraw_submission
from dontpay.cases.evidence import evidence_name
from dontpay.cases.models import Report
from dontpay.cases.reports import read_record
from dontpay.cases.sharing import (
    NothingChosen,
    consent_to_linking,
    send_report,
    withdraw_linking_consent,
    withdraw_report,
)
from dontpay.domain.reports import SECTIONS

from .actions import action_number
from .report_views import report_required
from .words import organisation_words


def _overview(done: str) -> HttpResponse:
    return redirect(f"{reverse('help:report_overview')}?done={done}")


@report_required
@require_http_methods(["GET", "POST"])
def report_send(request: HttpRequest, report: Report) -> HttpResponse:
    """Choose which sections and files to send, see who gets them and what they do, send."""
    record = read_record(report)
    filled = [s for s in SECTIONS if record.get(s.slug)]
    items = [(item, evidence_name(item)) for item in report.evidence.all()]
    error = ""
    if request.method == "POST":
        sections = set(request.POST.getlist("sections"))
        numbers = (action_number(value, "") for value in request.POST.getlist("items"))
        item_ids = {number for number in numbers if number is not None}
        try:
            send_report(report, sections, item_ids)
        except NothingChosen:
            error = _("Select at least one part of your record to send")
        else:
            return _overview("sent")
    if report.is_sent:
        chosen_sections = set(report.shared_sections)
        chosen_items = {item.pk for item, _ in items if item.shared}
    else:  # first time: everything is ticked, and the person unticks what stays private
        chosen_sections = {s.slug for s in filled}
        chosen_items = {item.pk for item, _ in items}
    return render(
        request,
        "help/report/send.html",
        {
            "report": report,
            "sections": [(s, s.slug in chosen_sections) for s in filled],
            "items": [(item, name, item.pk in chosen_items) for item, name in items],
            "organisation_use": organisation_words(settings.DONTPAY_ORGANISATION_USE),
            "error": error,
        },
        status=400 if error else 200,
    )


@report_required
@require_http_methods(["GET", "POST"])
def report_withdraw(request: HttpRequest, report: Report) -> HttpResponse:
    """Take the record back from the organisation, after asking."""
    if not report.is_sent:
        return redirect("help:report_overview")
    if request.method == "POST":
        withdraw_report(report)
        return _overview("withdrawn")
    return render(
        request,
        "help/report/withdraw.html",
        {"report": report},
    )


@report_required
@require_http_methods(["GET", "POST"])
def report_linking(request: HttpRequest, report: Report) -> HttpResponse:
    """A separate, plain choice: may the offender's details be used to find other reports."""
    error = ""
    if request.method == "POST":
        choice = request.POST.get("linking", "")
        if choice == "yes":
            if not report.link_consent_at:
                consent_to_linking(report)
            return _overview("linking-on")
        if choice == "no":
            if report.link_consent_at:
                withdraw_linking_consent(report)
            return _overview("linking-off")
        error = _("Select yes or no")
    return render(
        request,
        "help/report/linking.html",
        {"report": report, "error": error},
        status=400 if error else 200,
    )


@report_required
@require_http_methods(["GET", "POST"])
def report_fingerprints_withdraw(request: HttpRequest, report: Report, pk: int) -> HttpResponse:
    """Withdraw fingerprints made from inside this record, after asking."""
    submission = report.submissions.filter(pk=pk, withdrawn_at__isnull=True).first()
    if submission is None:
        raise Http404
    if request.method == "POST":
        withdraw_submission(submission)
        return _overview("fingerprints-withdrawn")
    return render(request, "help/report/fingerprints_withdraw.html", {"submission": submission})
