"""What we learned about a file we accepted."""

from dataclasses import dataclass

#: The values of `CheckedEvidence.kind`.
SCREENSHOT = "screenshot"
CHAT_EXPORT = "chat-export"
PDF = "pdf"


@dataclass(frozen=True)
class CheckedEvidence:
    """The kind of an accepted file, decided from its content; never from its name.

    Store and serve the file with `media_type` and `extension`, not the ones it arrived with.
    `width` and `height` are the upright size of a screenshot, ``None`` for other kinds.
    """

    kind: str  # "screenshot" | "chat-export" | "pdf"
    media_type: str
    extension: str
    width: int | None
    height: int | None
