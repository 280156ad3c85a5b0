"""The record's evidence pages: uploading screenshots and files, removing one (after asking),
marking the offender's profile picture, and the thumbnails those pages show."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from dontpay.cases.custody import record_event
from dontpay.cases.evidence import (
    add_evidence_many,
    evidence_limits,
    evidence_name,
    read_evidence,
    remove_evidence,
)
from dontpay.cases.models import EvidenceItem, Report
from dontpay.domain.evidence import EvidenceRejected
from dontpay.domain.evidence.limits import describe_size
from dontpay.intel.profile_photos import (
    NotAnImage,
    mark_profile_photo,
    profile_photo_ids,
    unmark_profile_photo,
)

from .actions import action_number
from .report_views import report_required
from .uploads import MAX_FILES

#: What the buttons beside an evidence item do, by the prefix of their value (then the item id).
EVIDENCE_ACTIONS: dict[str, Callable[[EvidenceItem], object]] = {
    "confirm-remove-": remove_evidence,
    "profile-": mark_profile_photo,
    "not-profile-": unmark_profile_photo,
}
#: "Remove" first asks; only the confirmation page's button removes.
ASK_BEFORE_REMOVING = "remove-"
EVIDENCE_CONFIRMATIONS = {
    "confirm-remove-": gettext_lazy("File removed"),
    "profile-": gettext_lazy("Marked as their profile picture"),
    "not-profile-": gettext_lazy("No longer marked as their profile picture"),
}


@report_required
@require_http_methods(["GET", "POST"])
def report_evidence(request: HttpRequest, report: Report) -> HttpResponse:
    """Upload screenshots and files; each file is accepted or refused on its own."""
    rejected: list[tuple[str, str]] = []
    added: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "upload")
        if action.startswith(ASK_BEFORE_REMOVING):
            # Removing cannot be undone: ask first, on a page of its own (no JavaScript needed).
            asked = action_number(action, ASK_BEFORE_REMOVING)
            item = report.evidence.filter(pk=asked).first() if asked is not None else None
            if item is None:
                return redirect("help:report_evidence")
            return render(
                request,
                "help/report/evidence_remove.html",
                {"item": item, "name": evidence_name(item)},
            )
        for prefix, change in EVIDENCE_ACTIONS.items():
            if action.startswith(prefix):
                number = action_number(action, prefix)
                item = report.evidence.filter(pk=number).first() if number is not None else None
                try:
                    if item:
                        change(item)
                except NotAnImage:
                    raise Http404 from None
                if item and prefix in EVIDENCE_CONFIRMATIONS:
                    messages.success(request, EVIDENCE_CONFIRMATIONS[prefix])
                return redirect("help:report_evidence")
        files = request.FILES.getlist("files")
        rejected += [(name, reason) for name, reason in getattr(request, "refused_uploads", [])]
        if not files and not rejected:
            rejected.append(("", _("Select one or more files to upload")))
        if len(files) > MAX_FILES:
            rejected.append(
                ("", _("Upload up to %(count)d files at a time") % {"count": MAX_FILES})
            )
            files = []
        uploads = [(upload.name or "file", upload.read()) for upload in files]
        for (name, _data), result in zip(uploads, add_evidence_many(report, uploads), strict=True):
            if isinstance(result, EvidenceRejected):
                rejected.append((name, result.reason))
            else:
                added.append(name)
        if not rejected:
            messages.success(
                request,
                ngettext("%(count)d file uploaded", "%(count)d files uploaded", len(added))
                % {"count": len(added)},
            )
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
            "max_files": MAX_FILES,
            "max_file_size": describe_size(evidence_limits().max_file_bytes),
        },
        status=400 if rejected else 200,
    )


@report_required
def evidence_thumbnail(request: HttpRequest, report: Report, pk: int) -> HttpResponse:
    item = EvidenceItem.objects.filter(report=report, pk=pk).exclude(thumbnail_blob_id="").first()
    if item is None:
        raise Http404
    return HttpResponse(read_evidence(item, thumbnail=True), content_type="image/jpeg")
