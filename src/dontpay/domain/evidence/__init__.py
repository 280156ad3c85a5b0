"""Evidence files: what they are (from their content alone), previews, and safe names."""

from .checked import CheckedEvidence
from .errors import (
    CameraPhoto,
    DamagedFile,
    EvidenceRejected,
    EvidenceTooLarge,
    ImageTooLarge,
    NotAScreenshot,
    UnsupportedType,
)
from .files import check_evidence
from .limits import EvidenceLimits
from .names import safe_file_name
from .thumbnails import blurred_preview, make_thumbnail

__all__ = [
    "CameraPhoto",
    "CheckedEvidence",
    "DamagedFile",
    "EvidenceLimits",
    "EvidenceRejected",
    "EvidenceTooLarge",
    "ImageTooLarge",
    "NotAScreenshot",
    "UnsupportedType",
    "blurred_preview",
    "check_evidence",
    "make_thumbnail",
    "safe_file_name",
]
