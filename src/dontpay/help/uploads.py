"""Receiving evidence uploads: in memory only, and never more than the limits allow.

Django normally spools large uploads to temporary files, which would put a person's
screenshots on disk in the clear. This handler keeps every upload in memory, skips any file
over the per-file limit as it arrives (saying so to the view), and refuses a request that is
larger than the most a single upload page may send.
"""

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile, StopUpload

from dontpay.cases.evidence import evidence_limits

#: The most files one upload may carry (the view says so when there are more).
MAX_FILES = 10


class EvidenceUploadHandler(MemoryFileUploadHandler):
    """Memory-only uploads with per-file and per-request size limits."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, *args: Any, **kwargs: Any
    ) -> None:
        self.refused: list[tuple[str, str]] = []
        self.request.refused_uploads = self.refused  # type: ignore[union-attr]
        limit = evidence_limits().max_file_bytes
        if content_length and content_length > MAX_FILES * limit + 1024 * 1024:
            megabytes = limit // 2**20
            reason = f"That is too much at once: upload up to {MAX_FILES} files of {megabytes} MB."
            self.refused.append(("", reason))
            raise StopUpload(connection_reset=True)
        self.activated = True

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)  # raises StopFutureHandlers: no other handler runs

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        limit = evidence_limits().max_file_bytes
        if self.received > limit:
            self.refused.append(
                (self.file_name or "file", f"This file is larger than {limit // 2**20} MB.")
            )
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
