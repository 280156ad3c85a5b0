"""Reading the text in a screenshot, on this server.

rapidocr ships its models inside the package, so no image or text ever leaves the machine and
nothing is fetched at run time. Its engine takes about a second to load, so each process makes
one, the first time it is needed. The worker runs this module only as a child process
(``python -m dontpay.intel.ocr``, started by `dontpay.intel.ocr_process`) that exits when idle,
so that the engine's memory is not held between bursts; it imports nothing else of ours.
"""

import signal
import sys
from functools import cache
from multiprocessing.connection import Connection
from types import FrameType

from PIL import Image
from rapidocr import RapidOCR
from rapidocr.utils.output import RapidOCROutput


@cache
def ocr_engine() -> RapidOCR:
    """The process's OCR engine (warnings only: its info log names model files, nothing more)."""
    return RapidOCR(params={"Global.log_level": "warning"})


def read_pixels_text(image: Image.Image) -> str:
    """The lines of text in an image already decoded, top to bottom."""
    result = ocr_engine()(image)
    assert isinstance(result, RapidOCROutput)  # detection and recognition are both on
    lines = result.txts or ()
    return "\n".join(line for line in lines if line.strip())


def serve_ocr(connection: Connection, idle_seconds: float) -> None:
    """The child: read each image sent, reply with its text or its error, exit when idle.

    SIGTERM and SIGINT (Ctrl-C reaches the whole process group) let the image in progress be
    read and answered first, as the worker lets its task finish.
    """
    busy = False
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not busy:
            raise SystemExit(0)
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ocr_engine()  # loaded while the worker still prepares the first image
    while not stopping and connection.poll(idle_seconds):
        try:
            size = connection.recv()
            pixels = connection.recv_bytes()
        except EOFError:  # the worker has gone
            return
        busy = True
        try:
            image = Image.frombytes("RGB", size, pixels)
            reply: tuple[str, object] = ("text", read_pixels_text(image))
        except Exception as problem:
            reply = ("error", problem)
        try:
            connection.send(reply)
        except Exception:  # an exception that cannot be pickled: its type is enough
            connection.send(("error", RuntimeError(type(reply[1]).__name__)))
        busy = False


if __name__ == "__main__":
    serve_ocr(Connection(int(sys.argv[1])), float(sys.argv[2]))
