"""Saving a report: start, come back with the passphrase, fill in the record, add evidence,
download the pack, delete. Views parse, call `dontpay.cases`, and render."""

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dontpay.cases.custody import record_event
from dontpay.cases.evidence import (
    add_evidence_many,
    evidence_name,
    read_evidence,
    remove_evidence,
)
from dontpay.cases.models import EvidenceItem, Report
from dontpay.cases.pack import report_pack
from dontpay.cases.reports import (
    add_item,
    client_fingerprint,
    create_report,
    delete_report,
    open_report,
    read_record,
    remove_item,
    save_section,
)
from dontpay.cases.throttle import TooManyAttempts
from dontpay.domain.evidence import EvidenceRejected
from dontpay.domain.reports import SECTIONS, InvalidRecord, section
from dontpay.intel.profile_photos import (
    NotAnImage,
    mark_profile_photo,
    profile_photo_ids,
    unmark_profile_photo,
)
from dontpay.intel.scanning import payment_accounts_reported_before

from .session import saved_answers
from .uploads import MAX_FILES

View = Callable[..., HttpResponse]

PAYMENT_DETAILS = "payment-details"
#: What the buttons beside an evidence item do, by the prefix of their value (then the item id).
EVIDENCE_ACTIONS: dict[str, Callable[[EvidenceItem], object]] = {
    "remove-": remove_evidence,
    "profile-": mark_profile_photo,
    "not-profile-": unmark_profile_photo,
}
#: An open record closes itself after this long without a request (a shared device left alone).
IDLE_SECONDS = 20 * 60
AGE_CHOICES = {"yes": True, "no": False, "not-sure": None}


def _open(request: HttpRequest, report: Report) -> None:
    request.session.cycle_key()
    request.session["report"] = report.pk
    request.session["report_seen"] = time.time()


def _report(request: HttpRequest) -> Report | None:
    pk = request.session.get("report")
    if not pk:
        return None
    if time.time() - request.session.get("report_seen", 0) > IDLE_SECONDS:
        request.session.pop("report", None)
        return None
    request.session["report_seen"] = time.time()
    return Report.objects.filter(pk=pk, deleted_at__isnull=True).first()


def report_required(view: View) -> View:
    """Only for the person who opened this record, in this session, recently."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        report = _report(request)
        if report is None:
            return redirect("help:report_sign_in")
        return view(request, report, *args, **kwargs)

    return wrapped


@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    """What a record is; starting one asks the person's age, which decides what they may upload.

    The new record's reference and passphrase are shown in the response itself, once: they are
    never stored anywhere they could be shown again.
    """
    answers = saved_answers(request.session)
    error = ""
    if request.method == "POST":
        age = request.POST.get("under_18", "")
        if age in AGE_CHOICES:
            created = create_report(
                jurisdiction=answers.get("jurisdiction", ""),
                under_18=AGE_CHOICES[age],
                answers=answers,
            )
            _open(request, created.report)
            return render(
                request,
                "help/report/saved.html",
                {"report": created.report, "passphrase": created.passphrase},
            )
        error = "Select whether you are under 18, or \u201cI'd rather not say\u201d"
    known = {True: "yes", False: "no", None: None}[answers.get("under_18")]
    return render(
        request,
        "help/report/start.html",
        {"report": _report(request), "error": error, "age": known},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def report_sign_in(request: HttpRequest) -> HttpResponse:
    """Come back to a report with its reference and passphrase."""
    errors: dict[str, str] = {}
    values = {"reference": "", "passphrase": ""}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if not values["reference"]:
            errors["reference"] = "Enter your report reference, like DP-7F3K-9QX2"
        if not values["passphrase"]:
            errors["passphrase"] = "Enter your passphrase"  # noqa: S105 - a message, not a secret
        if not errors:
            client = client_fingerprint(request.META.get("REMOTE_ADDR", ""))
            try:
                report = open_report(values["reference"], values["passphrase"], client)
            except TooManyAttempts:
                errors["reference"] = (
                    "Too many attempts. For your safety, wait 15 minutes and try again"
                )
            else:
                if report:
                    _open(request, report)
                    return redirect("help:report_overview")
                errors["passphrase"] = "The reference or passphrase is not right. Check both"  # noqa: S105
        status = 400
    values["passphrase"] = ""  # never sent back to the page
    return render(
        request, "help/report/sign_in.html", {"errors": errors, "values": values}, status=status
    )


@require_POST
def report_sign_out(request: HttpRequest) -> HttpResponse:
    request.session.pop("report", None)
    request.session.cycle_key()
    return redirect("help:report_start")


@report_required
def report_overview(request: HttpRequest, report: Report) -> HttpResponse:
    """The record as a task list: each section, the evidence, the pack."""
    record = read_record(report)
    rows = [{"section": s, "filled": bool(record.get(s.slug))} for s in SECTIONS]
    return render(
        request,
        "help/report/overview.html",
        {
            "report": report,
            "rows": rows,
            "evidence_count": report.evidence.count(),
            "reported_before": payment_accounts_reported_before(report, record),
        },
    )


@report_required
@require_http_methods(["GET", "POST"])
def report_section(request: HttpRequest, report: Report, slug: str) -> HttpResponse:
    """One section of the record; repeatable sections add one item at a time."""
    try:
        current = section(slug)
    except KeyError:
        raise Http404 from None
    record = read_record(report)
    errors: dict[str, str] = {}
    values: dict[str, str] = {} if current.repeatable else dict(record.get(slug) or {})
    if request.method == "POST":
        values = {f.name: request.POST.get(f.name, "") for f in current.fields}
        action = request.POST.get("action", "continue")
        try:
            if action.startswith("remove-"):
                position = action.removeprefix("remove-")
                if not (current.repeatable and position.isdigit()):
                    raise Http404
                remove_item(report, current, int(position))
                return redirect("help:report_section", slug=slug)
            if current.repeatable:
                add_item(report, current, values)
                if action == "add":
                    return redirect("help:report_section", slug=slug)
            else:
                save_section(report, current, values)
            if slug == PAYMENT_DETAILS and payment_accounts_reported_before(
                report, read_record(report)
            ):
                # Stay, so the person reads what other reports say about these accounts.
                return redirect(f"{request.path}?saved=1")
            return redirect(_next_page(slug))
        except InvalidRecord as problem:
            errors = problem.errors
    index = [s.slug for s in SECTIONS].index(slug)
    reported_before = (
        payment_accounts_reported_before(report, record) if slug == PAYMENT_DETAILS else []
    )
    return render(
        request,
        "help/report/section.html",
        {
            "report": report,
            "section": current,
            "items": record.get(slug) if current.repeatable else [],
            "values": values,
            "errors": errors,
            "number": index + 1,
            "count": len(SECTIONS),
            "reported_before": reported_before,
            "saved": bool(reported_before) and "saved" in request.GET,
            "next_page": _next_page(slug),
        },
        status=400 if errors else 200,
    )


def _next_page(slug: str) -> str:
    slugs = [s.slug for s in SECTIONS]
    index = slugs.index(slug)
    if index + 1 < len(slugs):
        return f"/report/record/{slugs[index + 1]}/"
    return "/report/evidence/"


@report_required
@require_http_methods(["GET", "POST"])
def report_evidence(request: HttpRequest, report: Report) -> HttpResponse:
    """Upload screenshots and files; each file is accepted or refused on its own."""
    rejected: list[tuple[str, str]] = []
    added: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        for prefix, change in EVIDENCE_ACTIONS.items():
            if action.startswith(prefix):
                pk = action.removeprefix(prefix)
                item = report.evidence.filter(pk=pk).first() if pk.isdigit() else None
                try:
                    if item:
                        change(item)
                except NotAnImage:
                    raise Http404 from None
                return redirect("help:report_evidence")
        files = request.FILES.getlist("files")
        rejected += [(name, reason) for name, reason in getattr(request, "refused_uploads", [])]
        if not files and not rejected:
            rejected.append(("", "Select one or more files to upload"))
        if len(files) > MAX_FILES:
            rejected.append(("", f"Upload up to {MAX_FILES} files at a time"))
            files = []
        uploads = [(upload.name or "file", upload.read()) for upload in files]
        for (name, _), result in zip(uploads, add_evidence_many(report, uploads), strict=True):
            if isinstance(result, EvidenceRejected):
                rejected.append((name, result.reason))
            else:
                added.append(name)
        if not rejected:
            return redirect("help:report_evidence")
    else:
        record_event(report, "viewed", "person", {"items": report.evidence.count()})
    items = [(item, evidence_name(item)) for item in report.evidence.all()]
    return render(
        request,
        "help/report/evidence.html",
        {
            "report": report,
            "items": items,
            "profile_photos": profile_photo_ids(report),
            "rejected": rejected,
            "added": added,
        },
        status=400 if rejected else 200,
    )


@report_required
def evidence_thumbnail(request: HttpRequest, report: Report, pk: int) -> HttpResponse:
    item = EvidenceItem.objects.filter(report=report, pk=pk).exclude(thumbnail_blob_id="").first()
    if item is None:
        raise Http404
    return HttpResponse(read_evidence(item, thumbnail=True), content_type="image/jpeg")


@report_required
@require_POST
def report_download(request: HttpRequest, report: Report) -> HttpResponse:
    """The signed report pack, as a ZIP download."""
    response = HttpResponse(report_pack(report), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="report-{report.reference}.zip"'
    return response


@report_required
@require_http_methods(["GET", "POST"])
def report_delete(request: HttpRequest, report: Report) -> HttpResponse:
    """Delete the report and everything in it, after asking."""
    if request.method == "POST":
        delete_report(report)
        request.session.pop("report", None)
        return render(request, "help/report/deleted.html")
    return render(request, "help/report/delete.html", {"report": report})
