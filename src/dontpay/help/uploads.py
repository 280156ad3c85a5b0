"""Receiving evidence uploads: in memory only, and never more than the limits allow.

Django normally spools large uploads to temporary files, which would put a person's
screenshots on disk in the clear. This handler keeps every upload in memory and skips any file
over the per-file limit as it arrives (saying so to the view). A request larger than the most a
single upload page may send (`max_request_bytes`) never reaches it: the web server refuses it
(`dontpay.site.server`), and so does `RequestSizeMiddleware`, with a 413 page.
"""

from typing import Any

from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from dontpay.cases.evidence import evidence_limits
from dontpay.domain.evidence.limits import describe_size

#: The most files one upload may carry (the view says so when there are more).
MAX_FILES = 10
#: Room for the form's other fields and the multipart framing around the files.
_FORM_OVERHEAD = 1024 * 1024


def max_request_bytes() -> int:
    """The largest request body the product accepts: a full upload of `MAX_FILES` files."""
    return MAX_FILES * evidence_limits().max_file_bytes + _FORM_OVERHEAD


def too_much_at_once() -> str:
    """What a person is told when one request carries more than `max_request_bytes`."""
    return _("That is too much at once: upload up to %(count)d files of %(size)s.") % {
        "count": MAX_FILES,
        "size": describe_size(evidence_limits().max_file_bytes),
    }


class EvidenceUploadHandler(MemoryFileUploadHandler):
    """Memory-only uploads with per-file and per-request size limits."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, *args: Any, **kwargs: Any
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        self.refused: list[tuple[str, str]] = []
        self.request.refused_uploads = self.refused  # type: ignore[union-attr]
        if content_length and content_length > max_request_bytes():
            # Read nothing; the view shows the refusal. (Django would let a StopUpload raised
            # here escape as a server error.)
            self.refused.append(("", too_much_at_once()))
            return QueryDict(), MultiValueDict()
        self.activated = True
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        super().new_file(*args, **kwargs)  # raises StopFutureHandlers: no other handler runs

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        limit = evidence_limits().max_file_bytes
        if self.received > limit:
            self.refused.append(
                (
                    self.file_name or "file",
                    _("This file is larger than %(size)s.") % {"size": describe_size(limit)},
                )
            )
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)
