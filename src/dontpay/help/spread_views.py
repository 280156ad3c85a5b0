"""Stop the spread: fingerprints (perceptual hashes) of the person's images are made in their
own browser and only the fingerprints are sent, so platforms can block copies. Under-18s are
sent to Report Remove and Take It Down instead. Views parse, call `dontpay.bank`, and render."""

import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dontpay.bank.feedback import platforms_confirming
from dontpay.bank.models import Submission
from dontpay.bank.submissions import (
    MAX_SIGNALS_PER_SUBMISSION,
    SubmissionRefused,
    check_submission,
    submit_signals,
    withdraw_submission,
)
from dontpay.cases.reports import client_fingerprint
from dontpay.cases.throttle import TooManyAttempts
from dontpay.domain.bounded_json import load_json
from dontpay.domain.guidance import load_pack

from .language import guidance_language
from .protect_words import protect_words
from .record_session import child_in_this_visit, current_record
from .session import remember_age, saved_answers

AGES = ("adult", "under-18", "not-sure")
#: The submission the person opened with its case number and PIN, in this session only.
OPEN_SUBMISSION = "protect_submission"
#: A new case number and PIN, kept only until the page showing them is rendered.
NEW_SUBMISSION = "protect_new"
SUBMISSIONS_PER_HOUR = 10


@require_http_methods(["GET", "POST"])
def protect_start(request: HttpRequest) -> HttpResponse:
    """What fingerprints are, and the age question that decides where the person is sent.

    Someone who said anywhere in this visit that they are under 18 is not asked again: they
    go straight to the services built for children's images.
    """
    if child_in_this_visit(request):
        return redirect("help:protect_under_18")
    error = ""
    if request.method == "POST":
        age = request.POST.get("age", "")
        if age == "adult":
            request.session["protect_age"] = age
            return redirect("help:protect_choose")
        if age in AGES:
            if age == "under-18":
                remember_age(request.session, under_18=True)
            return redirect("help:protect_under_18")
        error = _("Select how old you were in the images and are now, or “I'm not sure”")
    return render(
        request, "help/protect/start.html", {"error": error}, status=400 if error else 200
    )


def protect_under_18(request: HttpRequest) -> HttpResponse:
    """Why images of under-18s are not fingerprinted here, and the services that do it."""
    jurisdiction = (
        saved_answers(request.session).get("jurisdiction") or settings.DONTPAY_DEFAULT_JURISDICTION
    )
    text = load_pack(jurisdiction, guidance_language()).step_text("stop-the-spread", "child")
    return render(request, "help/protect/under_18.html", {"step": text})


@require_http_methods(["GET", "POST"])
def protect_choose(request: HttpRequest) -> HttpResponse:
    """Choose files, see their fingerprints (made in the browser), and send only those."""
    if request.session.get("protect_age") != "adult" or child_in_this_visit(request):
        return redirect("help:protect_start")
    opened = current_record(request)
    errors: list[str] = []
    signals: list[dict[str, Any]] = []
    if request.method == "POST":
        signals, errors = _parse_signals(request.POST.get("signals", ""))
        if not errors:
            client = client_fingerprint(request.META.get("REMOTE_ADDR", ""))
            if not _may_submit(client):
                errors = [
                    _(
                        "You have sent fingerprints several times in the last hour. For "
                        "everyone's safety, wait an hour before sending more"
                    )
                ]
            else:
                try:
                    created = submit_signals(
                        [(s["type"], s["value"], s["quality"]) for s in signals],
                        source="web",
                        report=opened.report if opened else None,
                    )
                except SubmissionRefused as refused:
                    errors = [
                        _("File {number}: {reason}").format(
                            number=problem.index + 1, reason=problem.reason
                        )
                        for problem in refused.problems
                    ] or [refused.reason]
                else:
                    # Shown once on the next page; a refresh there cannot send them again. Made
                    # from inside a record, it is kept there: no second secret to write down.
                    request.session[NEW_SUBMISSION] = {
                        "case_number": created.case_number,
                        "pin": "" if opened else created.pin,
                        "in_record": opened is not None,
                        "count": len(signals),
                    }
                    return redirect("help:protect_done")
    return render(
        request,
        "help/protect/choose.html",
        {
            "errors": errors,
            "signals": signals,
            "signals_json": json.dumps(signals),
            "max_signals": MAX_SIGNALS_PER_SUBMISSION,
            "in_record": opened is not None,
            "words": protect_words(),
        },
        status=400 if errors else 200,
    )


def protect_done(request: HttpRequest) -> HttpResponse:
    """The case number and PIN, once: they leave the session as they are shown."""
    created = request.session.pop(NEW_SUBMISSION, None)
    if created is None:
        return redirect("help:protect_start")
    return render(request, "help/protect/done.html", created)


def _may_submit(client: str) -> bool:
    """At most `SUBMISSIONS_PER_HOUR` submissions an hour from one client, so nobody can fill
    the bank with forged fingerprints (counted in the cache: per process unless shared)."""
    key = f"protect-submissions:{client}"
    cache.add(key, 0, timeout=60 * 60)
    return cache.incr(key) <= SUBMISSIONS_PER_HOUR


def _parse_signals(raw: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The fingerprints the page sent, as a list of {type, value, quality}, or why not."""
    try:
        data = load_json(raw) if raw else []
    except ValueError:
        data = None
    if not isinstance(data, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("type"), str)
        and isinstance(s.get("value"), str)
        and type(s.get("quality")) is int
        for s in data
    ):
        return [], [_("The fingerprints could not be read. Choose your files again")]
    if not data:
        return [], [_("Choose at least one image or video")]
    return [{"type": s["type"], "value": s["value"], "quality": s["quality"]} for s in data], []


@require_http_methods(["GET", "POST"])
def protect_check(request: HttpRequest) -> HttpResponse:
    """Come back with the case number and PIN: see the case, or withdraw it."""
    errors: dict[str, str] = {}
    case_number = ""
    status = 200
    if request.method == "POST":
        case_number = request.POST.get("case_number", "").strip()
        pin = request.POST.get("pin", "").strip()
        if not case_number:
            errors["case_number"] = _("Enter your case number")
        if not pin:
            errors["pin"] = _("Enter your PIN")
        if not errors:
            client = client_fingerprint(request.META.get("REMOTE_ADDR", ""))
            try:
                submission = check_submission(case_number, pin, client)
            except TooManyAttempts:
                errors["case_number"] = _("Too many attempts. Wait 15 minutes and try again")
                status = 429
            else:
                if submission is not None:
                    request.session.cycle_key()
                    request.session[OPEN_SUBMISSION] = submission.pk
                    return _status_page(request, submission)
                errors["pin"] = _("The case number or PIN is not right. Check both")
        status = status if status == 429 else 400
    return render(
        request,
        "help/protect/check.html",
        {"errors": errors, "case_number": case_number},
        status=status,
    )


def _status_page(request: HttpRequest, submission: Submission) -> HttpResponse:
    """The case: its fingerprints, whether they are active, and how many platforms have
    confirmed finding a copy (a count only)."""
    return render(
        request,
        "help/protect/status.html",
        {"submission": submission, "confirmed": platforms_confirming(submission)},
    )


@require_http_methods(["GET", "POST"])
def protect_withdraw(request: HttpRequest) -> HttpResponse:
    """Withdraw the case opened in this session, after asking: its fingerprints stop matching
    at once. Without the confirmation, the question is shown; GET shows the case again."""
    pk = request.session.get(OPEN_SUBMISSION)
    submission = Submission.objects.filter(pk=pk).first() if pk else None
    if submission is None:
        return redirect("help:protect_check")
    if request.method == "GET" or submission.withdrawn_at:
        return _status_page(request, submission)
    if request.POST.get("confirm") != "yes":
        return render(request, "help/protect/withdraw_confirm.html", {"submission": submission})
    request.session.pop(OPEN_SUBMISSION, None)
    withdraw_submission(submission)
    return render(request, "help/protect/withdrawn.html", {"submission": submission})
