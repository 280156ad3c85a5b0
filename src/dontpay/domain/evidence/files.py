"""The one door for evidence files: decide what a file is from its content, or refuse it.

Files come from frightened people on phones and from attackers probing the server, so every
check is cheap before it is thorough: sizes first, then magic bytes, then the image header,
and only then a full decode or parse. The file's name is never looked at.
"""

from dontpay.domain.words import words

from .chat_exports import check_chat_export
from .checked import CheckedEvidence
from .errors import (
    DamagedFile,
    EvidenceTooLarge,
    NotAScreenshot,
)
from .images import check_image, looks_like_image
from .limits import EvidenceLimits, describe_size
from .pdfs import check_pdf, looks_like_pdf

__all__ = ["check_evidence"]

DEFAULT_LIMITS = EvidenceLimits()


def check_evidence(
    data: bytes,
    *,
    limits: EvidenceLimits = DEFAULT_LIMITS,
    already_stored_bytes: int = 0,
    screenshots_only: bool = False,
) -> CheckedEvidence:
    """Say what kind of evidence ``data`` is, or raise an `EvidenceRejected` saying why not.

    ``already_stored_bytes`` is what the report already holds, for its total limit.
    ``screenshots_only`` is for under-18s, who must only ever send screenshots of messages and
    profiles: anything that is not an image is refused with `NotAScreenshot`, and an image
    that a camera took with `CameraPhoto`.
    """
    _check_size(len(data), limits, already_stored_bytes)
    if not data:
        raise DamagedFile(words("This file is empty."))
    if looks_like_image(data):
        return check_image(data, limits, screenshots_only=screenshots_only)
    if screenshots_only:
        raise NotAScreenshot()
    if looks_like_pdf(data):
        return check_pdf(data)
    return check_chat_export(data)


def _check_size(size: int, limits: EvidenceLimits, already_stored_bytes: int) -> None:
    if size > limits.max_file_bytes:
        raise EvidenceTooLarge(
            words("This file is larger than {size}.", size=describe_size(limits.max_file_bytes))
        )
    if already_stored_bytes + size > limits.max_report_bytes:
        raise EvidenceTooLarge(
            words(
                "With this file the report would be larger than {size}, the most one report "
                "can hold.",
                size=describe_size(limits.max_report_bytes),
            )
        )
