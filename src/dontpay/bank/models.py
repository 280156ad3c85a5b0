"""The hash bank: what people asked platforms to block, and the log platforms follow.

A person's submission holds the hashes they computed in their own browser; the bank holds each
distinct hash once, live while any submission not withdrawn holds it. Every time an entry
becomes live or stops being live, a `SignalChange` row is added: platforms page through that
log, and every web process applies it to its in-memory index before matching.
"""

from typing import Any

from django.db import models


class BankEntry(models.Model):
    """One distinct signal: a PDQ hash, or a video's vPDQ feature lines."""

    PDQ, VPDQ = "pdq", "vpdq"
    SIGNAL_TYPES = ((PDQ, "PDQ (image)"), (VPDQ, "vPDQ (video)"))

    signal_type = models.CharField(max_length=10, choices=SIGNAL_TYPES)
    #: Canonical form: 64 lowercase hex digits, or vPDQ lines ``frame,quality,hash,time``.
    value = models.TextField()
    #: SHA-256 of the value: vPDQ values are too long to index directly.
    value_digest = models.CharField(max_length=64)
    #: PDQ quality (0-100); for vPDQ the mean of its frames'. None when an import did not say.
    quality = models.PositiveSmallIntegerField(null=True, blank=True)
    #: Whether it is matched: a submission not withdrawn holds it and it is not quarantined
    #: (`EntryQuarantine`); changed only together with a `SignalChange`.
    live = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("signal_type", "value_digest"), name="one_entry_per_signal"
            ),
        )

    def __str__(self) -> str:
        return f"{self.signal_type} entry {self.pk}"


class Submission(models.Model):
    """One person's request to block some images or videos, reachable with case number and PIN."""

    WEB, CLI, IMPORT = "web", "cli", "import"
    SOURCES = ((WEB, "Web"), (CLI, "Command line"), (IMPORT, "Import"))

    case_number = models.CharField(max_length=11, unique=True)
    pin_hash = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=SOURCES)
    submitted_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    #: The person's record it was made from, if any: then the record's passphrase reaches it.
    report = models.ForeignKey(
        "cases.Report",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    entries: models.ManyToManyField[BankEntry, Any] = models.ManyToManyField(
        BankEntry, related_name="submissions"
    )

    def __str__(self) -> str:
        return self.case_number

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SignalChange(models.Model):
    """An entry becoming live ("added") or not ("withdrawn"); rows are only ever added.

    Ids are handed out in commit order (see `submissions.lock_bank`), so a reader that has
    applied every change up to id N never misses one committed later with a smaller id.
    """

    ADDED, WITHDRAWN = "added", "withdrawn"
    CHANGES = ((ADDED, "Added"), (WITHDRAWN, "Withdrawn"))

    entry = models.ForeignKey(BankEntry, on_delete=models.PROTECT, related_name="changes")
    change = models.CharField(max_length=10, choices=CHANGES)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.change} {self.entry_id}"


class PinAttempt(models.Model):
    """A failed attempt to open a submission, for throttling guesses per case and per client."""

    case_number = models.CharField(max_length=11, db_index=True)
    #: A keyed hash of the client's address (or "cli"): enough to throttle, useless to identify.
    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"failed attempt on {self.case_number}"


class PlatformToken(models.Model):
    """A platform's API token: only its SHA-256 is stored; the prefix names it in lists."""

    MATCH, SIGNALS, BANK, FEEDBACK = "match", "signals", "bank", "feedback"
    SCOPES = (MATCH, SIGNALS, BANK, FEEDBACK)

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class EntryQuarantine(models.Model):
    """A bank entry that matched far more uploads than expected within a window, taken out of
    matching at once (see `flood.py`) until an administrator releases it.

    A released entry keeps its row: an administrator judged its matches real, so it is not
    quarantined automatically again.
    """

    entry = models.OneToOneField(BankEntry, on_delete=models.CASCADE, related_name="quarantine")
    started_at = models.DateTimeField(auto_now_add=True)
    #: Matches counted in the window that crossed the limit, and the window's length.
    matches = models.PositiveIntegerField()
    window_seconds = models.PositiveIntegerField()
    released_at = models.DateTimeField(null=True, blank=True)
    #: The administrator who released it (a staff username).
    released_by = models.CharField(max_length=150, blank=True)

    def __str__(self) -> str:
        return f"quarantine of entry {self.entry_id}"

    @property
    def active(self) -> bool:
        return self.released_at is None


class EntryMatchCount(models.Model):
    """How many uploads matched an entry, across platforms: counted in the cache as matches
    happen and added here in steps (see `flood.py`), never written once per match."""

    entry = models.OneToOneField(BankEntry, on_delete=models.CASCADE, related_name="match_count")
    matches = models.PositiveBigIntegerField(default=0)
    last_matched_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.matches} matches of entry {self.entry_id}"


class MatchFeedback(models.Model):
    """One platform token's verdict on the matches of one bank entry: the person's image
    (confirmed), or not (a false positive). Each token sees and changes only its own."""

    CONFIRMED, FALSE_POSITIVE = "confirmed", "false_positive"
    VERDICTS = ((CONFIRMED, "Confirmed"), (FALSE_POSITIVE, "False positive"))

    entry = models.ForeignKey(BankEntry, on_delete=models.CASCADE, related_name="feedback")
    token = models.ForeignKey(PlatformToken, on_delete=models.CASCADE, related_name="feedback")
    verdict = models.CharField(max_length=20, choices=VERDICTS)
    given_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("entry", "token"), name="one_verdict_per_token"),
        )

    def __str__(self) -> str:
        return f"{self.verdict} on entry {self.entry_id}"


class EntryShown(models.Model):
    """A bank entry a match answered a platform token with: one row per token and entry,
    written the first time (see `shown.py`), so feedback is taken only on entries a platform
    was given."""

    token = models.ForeignKey(PlatformToken, on_delete=models.CASCADE, related_name="shown")
    #: Looked up by entry, then token: the unique constraint's index serves both.
    entry = models.ForeignKey(
        BankEntry, on_delete=models.CASCADE, related_name="shown_to", db_index=False
    )
    first_shown_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("entry", "token"), name="one_row_per_entry_shown"),
        )

    def __str__(self) -> str:
        return f"entry {self.entry_id} shown to token {self.token_id}"


class FeedRangeShown(models.Model):
    """Signal feed changes a platform token was given: every change numbered after `after` up
    to `through`. Pages followed in order extend one row, so a platform that keeps the whole
    bank costs a row, not a row per entry."""

    token = models.ForeignKey(PlatformToken, on_delete=models.CASCADE, related_name="feed_shown")
    after = models.PositiveBigIntegerField()
    through = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"changes {self.after + 1}-{self.through} shown to token {self.token_id}"
