"""Why an evidence file was refused, in words the person who sent it can read.

Views show `reason` as it is; the class says what kind of problem it was, for logs and metrics
(which must never hold the file's content or name).
"""

from typing import ClassVar

from dontpay.domain.words import words


class EvidenceRejected(ValueError):
    """An evidence file we will not store; `reason` is one sentence for the person."""

    default_reason: ClassVar[str] = words("We could not accept this file.")

    def __init__(self, reason: str | None = None) -> None:
        self.reason = reason or self.default_reason
        super().__init__(self.reason)


class EvidenceTooLarge(EvidenceRejected):
    """The file, or the report with this file added, is over a size limit."""

    default_reason = words("This file is too large.")


class UnsupportedType(EvidenceRejected):
    """The content is none of the kinds we accept, whatever the file is called."""

    default_reason = words(
        "We can only accept screenshots (PNG, JPEG, WebP, HEIC), "
        "chat exports (TXT, HTML, JSON) and PDF files."
    )


class DamagedFile(EvidenceRejected):
    """The content claims to be a kind we accept but cannot be read as one."""

    default_reason = words("This file is damaged, so we cannot open it.")


class ImageTooLarge(EvidenceRejected):
    """An image with more pixels than we will decode: a decompression bomb or close to one."""

    default_reason = words("This image has more pixels than we can safely open.")


class NotAScreenshot(EvidenceRejected):
    """Only screenshots are accepted here (under-18s must never be asked for other images)."""

    default_reason = words(
        "For your safety we only accept screenshots of messages and profiles here. "
        "Please do not upload any image of yourself."
    )


class CameraPhoto(NotAScreenshot):
    """An image whose metadata says a camera took it, where only screenshots are accepted."""

    default_reason = words(
        "This looks like a photo taken with a camera, not a screenshot, so we have not kept it. "
        "For your safety we only accept screenshots of messages and profiles here: "
        "please do not upload any photo of yourself."
    )
