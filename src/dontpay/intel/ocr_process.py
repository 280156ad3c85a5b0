"""Reading screenshots in a child process that exits when it has been idle a while.

Loaded, the OCR engine (rapidocr on onnxruntime and OpenCV) holds 300 to 400 MB, and a worker
spends most of its life waiting. So the engine lives in a child of the worker, started when a
screenshot needs reading and exiting by itself after `DONTPAY_OCR_IDLE_SECONDS` without work;
its memory goes back to the system whole, which freeing it inside a long-lived process would not
(native allocators keep their arenas). Screenshots come in bursts of a few per report, so the
child stays for the idle period rather than loading the engine (about a second) for each one.

The child is a fresh interpreter (``python -m dontpay.intel.ocr``) talking over a socket
pair: it imports only the OCR engine, never Django, the database connection or the keys, and
receives nothing but the pixels of one image at a time. The image file is opened and checked
here, in the worker, with the same checks as an upload.
"""

import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection

from django.conf import settings

from dontpay.domain.evidence import EvidenceLimits
from dontpay.domain.evidence.images import decode, open_image, upright

#: The only environment the child gets: none of the worker's secrets (the master key, the
#: database and Redis URLs, storage credentials) is passed on.
_CHILD_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "PYTHONPATH")

#: Screenshots were checked against the evidence limits when uploaded; these only guard the
#: decoder again, in case the limits were raised since.
_LIMITS = EvidenceLimits()


class OcrProcessFailed(Exception):
    """The OCR process died while reading an image (twice, so not by chance of timing)."""


class OcrProcess:
    """The worker's side: one child at a time, started on demand, replaced if it has exited."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def read_image_text(self, data: bytes) -> str:
        """The lines of text in an image file (PNG, JPEG, WebP or HEIC), top to bottom, read in
        the child process.

        The image is opened with the same checks as an upload and turned upright first, so a
        photo taken sideways reads as the person sees it.
        """
        with open_image(data, _LIMITS) as image:
            decode(image)
            pixels = upright(image).convert("RGB")
        with self._lock:
            for attempt in (1, 2):
                connection = self._running_connection()
                try:
                    connection.send(pixels.size)
                    connection.send_bytes(pixels.tobytes())
                    kind, value = connection.recv()
                except (EOFError, OSError):
                    # Most likely it exited on idle just as this image was sent; a new one
                    # reads it. Dying on the same image twice is the image's doing.
                    self._forget()
                    if attempt == 2:
                        raise OcrProcessFailed() from None
                    continue
                if kind == "error":
                    assert isinstance(value, BaseException)
                    raise value
                assert isinstance(value, str)
                return value
        raise AssertionError("unreachable")

    def _running_connection(self) -> Connection:
        if self._process is None or self._process.poll() is not None or self._connection is None:
            self._forget()
            ours, theirs = socket.socketpair()
            with ours, theirs:
                idle = str(settings.DONTPAY_OCR_IDLE_SECONDS)
                self._process = subprocess.Popen(  # noqa: S603 - our own module, two numbers
                    [sys.executable, "-m", "dontpay.intel.ocr", str(theirs.fileno()), idle],
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                    env={k: v for k, v in os.environ.items() if k in _CHILD_ENVIRONMENT},
                )
                self._connection = Connection(ours.detach())
        return self._connection

    def _forget(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            try:
                self._process.wait(timeout=5)  # it exits once its socket closes
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = self._connection = None


#: This process's OCR child, if it has one.
ocr_process = OcrProcess()
