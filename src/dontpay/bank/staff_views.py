"""The bank for administrators: entries quarantined for matching too much, to release, and how
often each entry matched and what platforms said about the matches."""

from dataclasses import dataclass

from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dontpay.accounts.access import requires
from dontpay.accounts.audit import audit

from .feedback import FeedbackCounts, feedback_counts
from .flood import match_counts, release_entry
from .models import BankEntry, EntryQuarantine

#: Entries listed by matches, most first.
LISTED_ENTRIES = 200


@dataclass(frozen=True)
class EntryRow:
    entry: BankEntry
    matches: int
    feedback: FeedbackCounts
    quarantine: EntryQuarantine | None


@requires("bank.view")
def bank_page(request: HttpRequest) -> HttpResponse:
    """Quarantined entries first, then the entries platforms matched or gave feedback on."""
    quarantined = list(
        EntryQuarantine.objects.filter(released_at__isnull=True)
        .select_related("entry")
        .order_by("started_at")
    )
    active = Q(match_count__isnull=False) | Q(feedback__isnull=False) | Q(quarantine__isnull=False)
    listed = list(
        BankEntry.objects.filter(active)
        .distinct()
        .select_related("match_count", "quarantine")
        .order_by(F("match_count__matches").desc(nulls_last=True), "-id")[:LISTED_ENTRIES]
    )
    ids = [entry.pk for entry in listed] + [q.entry_id for q in quarantined]
    matches = match_counts(ids)
    verdicts = feedback_counts(ids)
    rows = [
        EntryRow(
            entry,
            matches.get(entry.pk, 0),
            verdicts.get(entry.pk, FeedbackCounts()),
            getattr(entry, "quarantine", None),
        )
        for entry in listed
    ]
    rows.sort(key=lambda row: (-row.matches, -row.entry.pk))
    return render(
        request,
        "bank/entries.html",
        {
            "quarantined": [(q, matches.get(q.entry_id, 0)) for q in quarantined],
            "rows": rows,
            "listed": LISTED_ENTRIES,
            "released": request.GET.get("released", ""),
        },
    )


@requires("bank.change")
@require_POST
def release(request: HttpRequest, entry_id: int) -> HttpResponse:
    """End a quarantine: the entry is matched again at every process's next request."""
    if not release_entry(entry_id, request.user.get_username()):
        raise Http404("no such quarantined entry")
    audit(request, "bank.released", f"bank entry {entry_id}")
    return redirect(f"{reverse('bank:entries')}?released={entry_id}")
