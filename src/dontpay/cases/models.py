"""Reports made by people being blackmailed, their evidence, and each report's custody chain.

Nothing a person typed or uploaded is stored in clear: the structured record, file names and
files are encrypted under the report's own data key (see `vault.py`); rows hold only what is
needed to find and verify them.
"""

from django.db import models


class Report(models.Model):
    """One person's report, reachable with its reference and passphrase."""

    reference = models.CharField(max_length=12, unique=True)
    passphrase_hash = models.CharField(max_length=200)
    #: The report's data key, wrapped by the organisation key; emptied when the report is deleted.
    wrapped_key = models.BinaryField()
    #: The structured record as encrypted JSON.
    record = models.BinaryField()
    jurisdiction = models.CharField(max_length=2, blank=True)
    under_18 = models.BooleanField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    #: Ed25519 signature over the latest custody event.
    head_signature = models.BinaryField(default=b"")

    def __str__(self) -> str:
        return self.reference

    @property
    def screenshots_only(self) -> bool:
        """Unless the person said they are 18 or over, accept only screenshots: a child must
        never be led to upload a sexual image of themselves."""
        return self.under_18 is not False


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
