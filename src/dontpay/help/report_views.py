"""Saving a report: start, come back with the passphrase, fill in the record, download the
pack, delete (evidence has its own pages, `evidence_views`). Views parse, call
`dontpay.cases`, and render."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dontpay.bank.feedback import platforms_confirming
from dontpay.cases.models import Report
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
from dontpay.cases.vault import holding_owner_key
from dontpay.domain.reports import SECTIONS, InvalidRecord, Section, check_lengths, section
from dontpay.intel.scanning import payment_accounts_reported_before

from .actions import action_number
from .language import guidance_language, remember_language
from .record_session import (
    RECORD_COOKIE,
    child_in_this_visit,
    close_record,
    closed_for_inactivity,
    current_record,
    draft_section,
    forget_passphrase,
    keep_draft,
    keep_passphrase,
    open_record,
    set_record_cookie,
    shown_passphrase,
    take_draft,
)
from .session import remember_age, saved_answers, under_18_in_this_visit
from .words import organisation_words

View = Callable[..., HttpResponse]

PAYMENT_DETAILS = "payment-details"
AGE_CHOICES = {"yes": True, "no": False, "not-sure": None}
#: The id of a section page's form, which the language chooser sends along with the language.
SECTION_FORM = "record-section"
#: The page that shows a new record's passphrase; every other record page ends that showing.
SAVED_PAGE = "report_saved"


def report_required(view: View) -> View:
    """Only for the person who opened this record, in this browser, recently; the view runs
    holding the record's data key. If the record closed for inactivity while the person was
    typing into a section, what they typed is kept for when they open it again."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        opened = current_record(request)
        if opened is None:
            kept = False
            if request.method == "POST" and closed_for_inactivity(request) and "slug" in kwargs:
                try:
                    kept = _keep_typed(request, section(kwargs["slug"]), record_closed=True)
                except (KeyError, InvalidRecord):
                    kept = False
            if request.method == "POST" and "language" in request.POST:
                # A section's language button: the sign-in page comes in the chosen language.
                remember_language(request, request.POST["language"])
            url = reverse("help:report_sign_in")
            if closed_for_inactivity(request):
                url += "?closed=kept" if kept else "?closed=idle"
            return redirect(url)
        if view.__name__ != SAVED_PAGE:
            forget_passphrase(request)
        with holding_owner_key(opened.report.pk, opened.key):
            return view(request, opened.report, *args, **kwargs)

    return wrapped


def _keep_typed(request: HttpRequest, current: Section, *, record_closed: bool) -> bool:
    """Seal what was posted to section `current` for when it is next shown; False if it cannot
    be kept. An answer too long to save raises `InvalidRecord`: it could never be saved, so it
    is not kept either."""
    typed = _posted(request, current)
    check_lengths(current, typed)
    return keep_draft(request, current.slug, typed, record_closed=record_closed)


def _posted(request: HttpRequest, current: Section) -> dict[str, str]:
    """What was posted to the fields of section `current`, "" for any not sent."""
    return {f.name: request.POST.get(f.name, "") for f in current.fields}


@require_http_methods(["GET", "POST"])
def report_start(request: HttpRequest) -> HttpResponse:
    """What a record is; starting one asks the person's age, which decides what they may upload.

    Starting is POST, redirect, GET: a reload or a second press shows the record already
    started in this visit, never a second one.
    """
    answers = saved_answers(request.session)
    opened = current_record(request)
    error = ""
    if request.method == "POST":
        if opened is not None:
            return redirect("help:report_saved")
        age = request.POST.get("under_18", "")
        if age in AGE_CHOICES:
            remember_age(request.session, under_18=AGE_CHOICES[age])
            under_18 = True if under_18_in_this_visit(request.session) else AGE_CHOICES[age]
            created = create_report(
                jurisdiction=answers.get("jurisdiction", ""),
                under_18=under_18,
                answers=answers,
                language=guidance_language(),
            )
            open_record(request, created.report, created.key)
            keep_passphrase(request, created.report.reference, created.passphrase)
            return set_record_cookie(request, redirect("help:report_saved"))
        error = _("Select whether you are under 18, or “I'd rather not say”")
    known = {True: "yes", False: "no", None: None}[answers.get("under_18")]
    return render(
        request,
        "help/report/start.html",
        {
            "report": opened.report if opened else None,
            "error": error,
            "age": known,
        },
        status=400 if error else 200,
    )


@report_required
@require_http_methods(["GET", "POST"])
def report_saved(request: HttpRequest, report: Report) -> HttpResponse:
    """The new record's reference and passphrase. Shown again on reload until the person says
    they have written them down (or goes on to any other page of their record)."""
    if request.method == "POST":
        forget_passphrase(request)
        return redirect("help:report_overview")
    passphrase = shown_passphrase(request, report.reference)
    return render(request, "help/report/saved.html", {"report": report, "passphrase": passphrase})


@require_http_methods(["GET", "POST"])
def report_sign_in(request: HttpRequest) -> HttpResponse:
    """Come back to a report with its reference and passphrase."""
    errors: dict[str, str] = {}
    values = {"reference": "", "passphrase": ""}
    status = 200
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if not values["reference"]:
            errors["reference"] = _("Enter your report reference, like DP-7F3K-9QX2")
        if not values["passphrase"]:
            errors["passphrase"] = _("Enter your passphrase")
        status = 400
        if not errors:
            client = client_fingerprint(request.META.get("REMOTE_ADDR", ""))
            try:
                opened = open_report(values["reference"], values["passphrase"], client)
            except TooManyAttempts as wait:
                errors["reference"] = ngettext(
                    "Too many attempts from this device. For your safety, wait %(minutes)d "
                    "minute and try again",
                    "Too many attempts from this device. For your safety, wait %(minutes)d "
                    "minutes and try again",
                    wait.minutes,
                ) % {"minutes": wait.minutes}
                status = 429
            else:
                if opened:
                    open_record(request, opened.report, opened.key)
                    slug = draft_section(request, opened.report)
                    target = (
                        reverse("help:report_section", kwargs={"slug": slug})
                        if slug
                        else reverse("help:report_overview")
                    )
                    return set_record_cookie(request, redirect(target))
                errors["passphrase"] = _("The reference or passphrase is not right. Check both")
    values["passphrase"] = ""  # never sent back to the page
    return render(
        request,
        "help/report/sign_in.html",
        {"errors": errors, "values": values, "closed": request.GET.get("closed", "")},
        status=status,
    )


@require_POST
def report_sign_out(request: HttpRequest) -> HttpResponse:
    close_record(request)
    request.session.cycle_key()
    response = render(request, "help/report/closed.html")
    response.delete_cookie(RECORD_COOKIE)
    return response


@report_required
@require_POST
def report_keep_open(request: HttpRequest, report: Report) -> HttpResponse:
    """The timeout warning's "stay": any request to the record counts as activity."""
    return HttpResponse(status=204)


#: The banner shown on the overview after a choice, by the `done` it was sent back with.
DONE_MESSAGES = {
    "sent": gettext_lazy("Your record has been sent to %(organisation)s."),
    "withdrawn": gettext_lazy("Your record has been withdrawn. Staff can no longer read it."),
    "linking-on": gettext_lazy(
        "Their details will now be used to look for other reports about them."
    ),
    "linking-off": gettext_lazy("Their details are no longer used to look for other reports."),
    "fingerprints-withdrawn": gettext_lazy(
        "Your fingerprints have been withdrawn. They no longer block copies."
    ),
}


@report_required
def report_overview(request: HttpRequest, report: Report) -> HttpResponse:
    """The record as a task list: each section, the evidence, sending it, the pack."""
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
            "done": _done_message(request.GET.get("done", "")),
            "submissions": [
                (submission, platforms_confirming(submission))
                for submission in report.submissions.order_by("submitted_at")
            ],
            "may_hash": not child_in_this_visit(request),
        },
    )


def _done_message(done: str) -> str:
    message = DONE_MESSAGES.get(done)
    if message is None:
        return ""
    return str(message) % {"organisation": organisation_words(settings.DONTPAY_ORGANISATION_NAME)}


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
    draft = take_draft(request, report, slug) if request.method == "GET" else None
    if draft is not None:
        values = {**values, **{k: v for k, v in draft.values.items() if v}}
    if request.method == "POST" and "language" in request.POST:
        # The language chooser on this page sends the section's form along (no script needed):
        # what was typed comes back, unsaved and unchecked, in the new language. An answer too
        # long to save is not kept, but shown again at once with the reason, in that language.
        remember_language(request, request.POST["language"])
        try:
            _keep_typed(request, current, record_closed=False)
        except InvalidRecord as problem:
            values, errors = _posted(request, current), problem.errors
        else:
            return redirect(request.path)
    elif request.method == "POST":
        values = _posted(request, current)
        action = request.POST.get("action", "continue")
        try:
            if action.startswith("remove-"):
                position = action_number(action, "remove-")
                if not current.repeatable or position is None:
                    raise Http404
                remove_item(report, current, position)
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
            "draft": draft is not None and draft.record_closed,
            "language_form": SECTION_FORM,
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
        close_record(request)
        response = render(request, "help/report/deleted.html")
        response.delete_cookie(RECORD_COOKIE)
        return response
    live_hashes = report.submissions.filter(withdrawn_at__isnull=True).exists()
    return render(
        request,
        "help/report/delete.html",
        {
            "report": report,
            "live_hashes": live_hashes,
        },
    )
