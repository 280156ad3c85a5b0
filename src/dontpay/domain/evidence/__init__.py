"""Evidence files: what they are (from their content alone), previews, and safe names."""

from .files import (
    CheckedEvidence,
    DamagedFile,
    EvidenceLimits,
    EvidenceRejected,
    EvidenceTooLarge,
    ImageTooLarge,
    NotAScreenshot,
    UnsupportedType,
    check_evidence,
    make_thumbnail,
    safe_file_name,
)

__all__ = [
    "CheckedEvidence",
    "DamagedFile",
    "EvidenceLimits",
    "EvidenceRejected",
    "EvidenceTooLarge",
    "ImageTooLarge",
    "NotAScreenshot",
    "UnsupportedType",
    "check_evidence",
    "make_thumbnail",
    "safe_file_name",
]
