"""Indicators found in reports, the report↔indicator index, clusters and the warninglist.

Links between reports are never stored as pairs: two reports are linked when they share a row
of `Indicator` through `ReportIndicator`, and a cluster is a connected component of those links.
"""

from django.db import models

from dontpay.cases.models import EvidenceItem, Report


class Indicator(models.Model):
    """One canonical indicator (a wallet, a phone number, a handle…), stored once however many
    reports mention it. `key` is the domain's linking key: type, platform or network, value."""

    type = models.CharField(max_length=20)
    #: The handle's platform or the address's network; empty for other types.
    qualifier = models.CharField(max_length=20, blank=True)
    value = models.CharField(max_length=400)
    key = models.CharField(max_length=450, unique=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    #: How many live reports mention it, kept current by linking.
    report_count = models.PositiveIntegerField(default=0)
    #: Set when the value is shared by unusually many reports: it still links, but an analyst
    #: should check that it is not a common value that belongs on the warninglist.
    flagged_at = models.DateTimeField(null=True, blank=True)
    #: Set while a warninglist entry covers the value: its rows are kept (so removing the entry
    #: links again) but never link reports.
    warninglisted = models.BooleanField(default=False)

    class Meta:
        indexes = (models.Index(fields=("type", "value")),)

    def __str__(self) -> str:
        return self.key


class ReportIndicator(models.Model):
    """The index: this report mentions this indicator, found in this source."""

    RECORD, MESSAGES, OCR = "record", "messages", "ocr"
    SOURCES = ((RECORD, "Record"), (MESSAGES, "Messages"), (OCR, "Screenshot text"))

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicator_links")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="report_links")
    source = models.CharField(max_length=10, choices=SOURCES)
    seen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=("report", "indicator", "source"), name="one_link_per_source"
            ),
        )
        indexes = (models.Index(fields=("indicator", "report")),)

    def __str__(self) -> str:
        return f"report {self.report_id} mentions indicator {self.indicator_id}"


class WarninglistEntry(models.Model):
    """A value that must never link reports: a platform's own domain, a no-reply address, an
    exchange's deposit address, the demo data. Data, editable by administrators."""

    EXACT, DOMAIN = "exact", "domain"
    MATCHES = ((EXACT, "This exact value"), (DOMAIN, "Any email address or link on this domain"))

    type = models.CharField(max_length=20)
    value = models.CharField(max_length=400)
    match = models.CharField(max_length=10, choices=MATCHES, default=EXACT)
    reason = models.CharField(max_length=200)
    added_by = models.CharField(max_length=150)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("type", "value", "match"), name="one_entry_per_value"),
        )
        ordering = ("type", "value")

    def __str__(self) -> str:
        return f"{self.type} {self.value}"


class ClusterMembership(models.Model):
    """The cluster (connected component of exact links) a linked report belongs to. A cluster is
    named by its smallest report id, so merging two clusters renames only the larger one."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="cluster_membership"
    )
    cluster = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"report {self.report_id} in cluster {self.cluster}"


class EvidenceText(models.Model):
    """Text read from a screenshot, encrypted under its report's data key like the file itself."""

    evidence = models.OneToOneField(
        EvidenceItem, on_delete=models.CASCADE, primary_key=True, related_name="text"
    )
    text = models.BinaryField()
    read_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"text of evidence item {self.evidence_id}"


class ProfilePhoto(models.Model):
    """An image the person marked as the offender's profile photo, by its PDQ hash, so reports
    with the same fake profile can be found (scored separately, never merged into clusters)."""

    evidence = models.OneToOneField(
        EvidenceItem, on_delete=models.CASCADE, primary_key=True, related_name="profile_photo"
    )
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="profile_photos")
    pdq = models.CharField(max_length=64)
    quality = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"profile photo {self.evidence_id}"


class ScriptSignature(models.Model):
    """The MinHash signature of a report's pasted messages (shingles hashed with a key derived
    from the secret key), to score near-duplicate scripts without keeping the text in clear."""

    report = models.OneToOneField(
        Report, on_delete=models.CASCADE, primary_key=True, related_name="script_signature"
    )
    minhash = models.BinaryField()

    def __str__(self) -> str:
        return f"script signature of report {self.report_id}"


class ScriptBand(models.Model):
    """The LSH index of script signatures: reports whose signatures agree on every row of a band
    share its bucket, so near-duplicates are found by look-up, not by comparing every pair."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="script_bands")
    band = models.PositiveSmallIntegerField()
    bucket = models.BigIntegerField()

    class Meta:
        indexes = (models.Index(fields=("band", "bucket")),)

    def __str__(self) -> str:
        return f"band {self.band} of report {self.report_id}"


class PreparedReferral(models.Model):
    """A cluster's referral pack that a staff member asked for. A worker builds it (a cluster of
    200 reports takes about a minute, too long for a web request), then it waits sealed in the
    vault, under a data key of its own wrapped by the organisation key, until they download it
    or it expires (`dontpay.intel.prepared_referrals`). Only they may download it."""

    PREPARING, READY, FAILED = "preparing", "ready", "failed"
    STATES = ((PREPARING, "Being prepared"), (READY, "Ready"), (FAILED, "Failed"))
    NO_CLUSTER, ERROR = "no-cluster", "error"

    cluster = models.BigIntegerField()
    requested_by = models.CharField(max_length=150)
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    state = models.CharField(max_length=10, choices=STATES, default=PREPARING)
    #: Why it failed: the cluster no longer exists (`NO_CLUSTER`), or the build broke (`ERROR`).
    problem = models.CharField(max_length=20, blank=True)
    blob_id = models.CharField(max_length=32, blank=True)
    wrapped_key = models.BinaryField(default=b"")
    size = models.PositiveBigIntegerField(default=0)
    #: The references of the sent reports it holds, for the audit trail of its download.
    sent_references = models.JSONField(default=list)
    #: What each report in it shared when it was built (report id: digest); once any of them
    #: changes (sent, withdrawn, other sections, consent to linking, deleted) it is not given out.
    sharing = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"referral pack of cluster {self.cluster} for {self.requested_by} ({self.state})"
