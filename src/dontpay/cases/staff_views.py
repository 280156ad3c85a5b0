"""Casework for staff: the triage queue and the case page. Every view of a case or its
evidence, every download and every change writes an audit event."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dontpay.accounts.access import requires, staff_role
from dontpay.accounts.audit import audit
from dontpay.accounts.roles import PERMISSIONS
from dontpay.domain.evidence import blurred_preview
from dontpay.domain.reports import SECTIONS

from .casefiles import deadline_soon, triage_queue
from .changes import changes_between, snapshot
from .custody import custody_problems, record_event
from .evidence import evidence_name, read_evidence
from .forms import CaseForm
from .models import Case, CaseNote, EvidenceItem
from .pack import report_pack
from .reports import shared_record

#: The queue's date filters: the query parameter, its label, and the field it bounds.
QUEUE_DATES = (
    ("sent_since", "Sent on or after", "report__sent_at"),
    ("active_since", "Active on or after", "last_activity"),
)


@requires("cases.view")
def queue(request: HttpRequest) -> HttpResponse:
    """Open cases, most at risk first; filter by status, risk flag, when the record was sent
    and when it was last active (the person's edits or staff notes)."""
    filters: dict[str, object] = {}
    status = request.GET.get("status", "")
    if status in dict(Case.STATUSES):
        filters["status"] = status
    else:
        filters["status__in"] = [
            s for s in dict(Case.STATUSES) if s not in (Case.CLOSED, Case.WITHDRAWN)
        ]
    flag = request.GET.get("flag", "")
    if flag in ("under_18", "self_harm", "content_shared", "paid"):
        filters[flag] = True
    if request.GET.get("mine"):
        filters["assignee"] = request.user
    errors: dict[str, str] = {}
    dates: dict[str, str] = {}
    for name, label, field in QUEUE_DATES:
        dates[name] = request.GET.get(name, "").strip()
        if not dates[name]:
            continue
        try:
            filters[f"{field}__date__gte"] = date.fromisoformat(dates[name])
        except ValueError:
            errors[name] = f"{label} must be a real date, like 2026-11-30"
    cases = [(case, deadline_soon(case)) for case in triage_queue(**filters)[:200]]
    audit(request, "queue.viewed", "triage queue", cases=len(cases))
    return render(
        request,
        "cases/staff/queue.html",
        {
            "cases": cases,
            "statuses": Case.STATUSES,
            "status": status,
            "flag": flag,
            "dates": dates,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _case(reference: str) -> Case:
    return get_object_or_404(
        Case.objects.select_related("report"), reference=reference, report__isnull=False
    )


@requires("cases.view")
@require_http_methods(["GET", "POST"])
def case_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Everything about one case; the record and evidence are decrypted only here."""
    case = _case(reference)
    report = case.report
    assert report is not None
    if request.method == "POST" and staff_role(request) not in PERMISSIONS["cases.change"]:
        raise PermissionDenied("cases.change")
    before = snapshot(case, CaseForm.Meta.fields)
    form = CaseForm(request.POST if request.method == "POST" else None, instance=case)
    if request.method == "POST" and form.is_valid():
        form.save()
        changes = changes_between(case, before, form.changed_data)
        audit(
            request,
            "case.changed",
            case.reference,
            **{c.name: f"{c.stored_before} -> {c.stored_after}" for c in changes},
        )
        if changes:
            CaseNote.objects.create(
                case=case,
                author=request.user.get_username(),
                text="\n".join(str(change) for change in changes),
            )
        messages.success(request, "Case saved" if changes else "Case saved: nothing had changed")
        return redirect("cases:case", reference=case.reference)
    # Shown (again, with errors, after a refused change): the record is on screen, so audit it.
    audit(request, "case.viewed", case.reference, refused_change=int(bool(form.errors)))
    # Only what the person sent, while they still send it: a withdrawn or deleted record
    # shows nothing, and its data key is no longer here to read it with.
    record = shared_record(report)
    sections = [(s, record[s.slug]) for s in SECTIONS if record[s.slug]]
    items = (
        [(item, evidence_name(item)) for item in report.evidence.filter(shared=True)]
        if report.is_sent
        else []
    )
    return render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "report": report,
            "form": form,
            "sections": sections,
            "items": items,
            "custody": custody_problems(report),
            "deadline_soon": deadline_soon(case),
            "blur_images": report.under_18 is not False,
        },
        status=400 if form.errors else 200,
    )


@requires("cases.change")
@require_POST
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(reference)
    text = request.POST.get("text", "").strip()
    if text:
        CaseNote.objects.create(case=case, author=request.user.get_username(), text=text)
        audit(request, "case.note-added", case.reference)
    return redirect("cases:case", reference=case.reference)


@requires("evidence.view")
@require_GET  # OPTIONS, HEAD or POST get 405, never the decrypted file
def evidence_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """One evidence item the person sent, decrypted and checked against its hash; audited and
    chained.

    `?thumbnail=1` serves the preview shown on the case page (also audited). A preview from a
    record whose author did not say they are 18 or over is blurred, unless the caseworker
    chose to see it (`&reveal=1`), which is audited as such."""
    case = _case(reference)
    report = case.report
    assert report is not None
    if not report.is_sent:
        raise Http404
    item = get_object_or_404(EvidenceItem, pk=pk, report=report, shared=True)
    thumbnail = request.GET.get("thumbnail") == "1"
    if thumbnail and not item.thumbnail_blob_id:
        raise Http404
    actor = request.user.get_username()
    if thumbnail:
        reveal = request.GET.get("reveal") == "1" or report.under_18 is False
        action = (
            "evidence.revealed" if reveal and report.under_18 is not False else "evidence.viewed"
        )
        audit(request, action, case.reference, item=item.pk, thumbnail=1)
        preview = read_evidence(item, thumbnail=True)
        return HttpResponse(
            preview if reveal else blurred_preview(preview), content_type="image/jpeg"
        )
    # An original is never blurred, so for a child's record opening it is choosing to see it.
    action = "evidence.viewed" if report.under_18 is False else "evidence.revealed"
    audit(request, action, case.reference, item=item.pk, thumbnail=0)
    record_event(item.report, "viewed", f"staff:{actor}", {"item": item.pk})
    response = HttpResponse(read_evidence(item), content_type=item.media_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{item.pk}{item.extension}"'
    return response


@requires("evidence.view")
@require_POST
def case_pack(request: HttpRequest, reference: str) -> HttpResponse:
    """The report pack, built for a caseworker (audited, and chained as an export)."""
    case = _case(reference)
    if case.report is None or not case.report.is_sent:
        raise Http404
    pack = report_pack(case.report, actor=f"staff:{request.user.get_username()}", sent_only=True)
    audit(request, "pack.exported", case.reference)
    response = HttpResponse(pack, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="report-{case.reference}.zip"'
    return response
