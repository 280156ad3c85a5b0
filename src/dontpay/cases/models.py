"""Reports made by people being blackmailed, their evidence, and each report's custody chain.

Nothing a person typed or uploaded is stored in clear: the structured record, file names and
files are encrypted under the report's own data key (see `vault.py`); rows hold only what is
needed to find and verify them.
"""

import hmac

from django.conf import settings
from django.db import models

from dontpay.domain.guidance import LANGUAGE_NAMES


class Report(models.Model):
    """One person's record, reachable with its reference and passphrase.

    It is theirs alone until they send it: until then its data key is wrapped only by a key
    derived from their passphrase (`owner_wrapped_key`), and no case, statistic or staff page
    knows it exists. Sending adds the organisation's wrapping (`wrapped_key`) and opens a case
    with the sections and files they chose; withdrawing removes that wrapping again.
    """

    reference = models.CharField(max_length=12, unique=True)
    #: Only for records made before passphrase wrapping: checked once, then emptied.
    passphrase_hash = models.CharField(max_length=200, blank=True)
    #: The data key wrapped by the passphrase's key (salt + wrapped); emptied on deletion.
    owner_wrapped_key = models.BinaryField(default=b"")
    #: The data key wrapped by the organisation key: only while the record is sent.
    wrapped_key = models.BinaryField(default=b"")
    #: The structured record as encrypted JSON.
    record = models.BinaryField()
    jurisdiction = models.CharField(max_length=2, blank=True)
    #: The language the person used when they started it (a guidance language code, e.g.
    #: ``ur``): their report pack's PDF is written in it, with English headings alongside.
    language = models.CharField(max_length=8, default="en")
    under_18 = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    #: When the person sent it to the organisation; None while it is private or withdrawn.
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: The record's sections the person chose to send (slugs).
    shared_sections = models.JSONField(default=list, blank=True)
    #: When the person agreed that the offender's details may link reports; None if not.
    link_consent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: Ed25519 signature over the latest custody event.
    head_signature = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return self.reference

    @property
    def language_names(self) -> tuple[str, str]:
        """The language the person wrote in, named in English and in itself."""
        return LANGUAGE_NAMES.get(self.language, (self.language, self.language))

    @property
    def screenshots_only(self) -> bool:
        """Unless the person said they are 18 or over, accept only screenshots: a child must
        never be led to upload a sexual image of themselves."""
        return self.under_18 is not False

    @property
    def is_sent(self) -> bool:
        """Whether the organisation may read the record now."""
        return self.sent_at is not None and self.deleted_at is None

    @property
    def staff_label(self) -> str:
        """How analysts see the report: by its case reference once sent; else by a label that
        is no half of the secret that opens it (it was linked with consent, but not sent)."""
        if self.is_sent:
            return self.reference
        opaque = hmac.new(settings.SECRET_KEY.encode(), f"unsent:{self.pk}".encode(), "sha256")
        return f"unsent-{opaque.hexdigest()[:10]}"


class EvidenceItem(models.Model):
    """An uploaded file, stored encrypted byte-for-byte, with a thumbnail for screenshots."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    blob_id = models.CharField(max_length=32, unique=True)
    thumbnail_blob_id = models.CharField(max_length=32, blank=True)
    kind = models.CharField(max_length=20)
    media_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    #: The file's name as the person gave it, made safe, then encrypted.
    name = models.BinaryField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Whether the person chose to send this file with their record.
    shared = models.BooleanField(default=False)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"evidence item {self.pk} of report {self.report_id}"


class CustodyEvent(models.Model):
    """One link of a report's hash chain; rows are only ever added."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="custody")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    at = models.CharField(max_length=32)
    actor = models.CharField(max_length=40)
    detail = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("report", "sequence")
        constraints = (
            models.UniqueConstraint(fields=("report", "sequence"), name="one_event_per_sequence"),
        )

    def __str__(self) -> str:
        return f"custody event {self.sequence} of report {self.report_id}"


class PassphraseAttempt(models.Model):
    """A failed attempt to open a report, for throttling guesses per reference and per client."""

    reference = models.CharField(max_length=12, db_index=True)
    #: A keyed hash of the client's address: enough to throttle, useless to identify anyone.
    client = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"failed attempt on {self.reference}"


class Case(models.Model):
    """A sent report as casework: status, assignee, risk flags and the police record.

    A case exists only once the person sends their record; if they withdraw it, the case stays
    as "withdrawn" without its content. Historic cases imported for statistics have no report
    behind them.
    """

    NEW, TRIAGED, IN_PROGRESS, REFERRED, CLOSED, WITHDRAWN = (
        "new",
        "triaged",
        "in-progress",
        "referred",
        "closed",
        "withdrawn",
    )
    STATUSES = (
        (NEW, "New"),
        (TRIAGED, "Triaged"),
        (IN_PROGRESS, "In progress"),
        (REFERRED, "Referred"),
        (CLOSED, "Closed"),
        (WITHDRAWN, "Withdrawn by the person"),
    )
    OFFENCES = (
        ("blackmail", "Blackmail"),
        ("threat to share intimate images", "Threat to share intimate images"),
    )

    report = models.OneToOneField(
        Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="case"
    )
    reference = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=STATUSES, default=NEW, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Risk flags, computed from the report (see casefiles.refresh_risk).
    under_18 = models.BooleanField(default=False)
    self_harm = models.BooleanField(default=False)
    content_shared = models.BooleanField(default=False)
    paid = models.BooleanField(default=False)
    next_deadline = models.DateTimeField(null=True, blank=True)

    # Police record. The verbose names are the labels staff see on the form, in the action
    # log and on the statistics page.
    force = models.CharField("police force", max_length=80, blank=True)
    crime_reference = models.CharField("crime reference number", max_length=40, blank=True)
    offence = models.CharField(max_length=40, choices=OFFENCES, blank=True)
    recorded_on = models.DateField("date recorded", null=True, blank=True, db_index=True)
    outcome_code = models.PositiveSmallIntegerField("Home Office outcome type", default=0)
    outcome_date = models.DateField("outcome date", null=True, blank=True)
    payment_made = models.BooleanField("payment made", null=True)
    amount_paid = models.DecimalField(
        "amount paid", max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, blank=True)
    suspect_identified = models.BooleanField("suspect identified", null=True)
    victim_age_band = models.CharField(max_length=20, blank=True)
    platforms = models.JSONField(default=list, blank=True)
    imported = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.reference


class CaseNote(models.Model):
    """A caseworker's note, or an entry in the case's action log."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField()

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"note on {self.case}"
