"""Reading the text in a screenshot, on this server.

rapidocr ships its models inside the package, so no image or text ever leaves the machine and
nothing is fetched at run time. Its engine takes about a second to load, so each process makes
one, the first time it is needed.
"""

from functools import cache

from PIL import Image
from rapidocr import RapidOCR
from rapidocr.utils.output import RapidOCROutput

from dontpay.domain.evidence import EvidenceLimits
from dontpay.domain.evidence.images import decode, open_image, upright

#: Screenshots were checked against the evidence limits when uploaded; these only guard the
#: decoder again, in case the limits were raised since.
_LIMITS = EvidenceLimits()


@cache
def ocr_engine() -> RapidOCR:
    """The process's OCR engine (warnings only: its info log names model files, nothing more)."""
    return RapidOCR(params={"Global.log_level": "warning"})


def read_image_text(data: bytes) -> str:
    """The lines of text in an image file (PNG, JPEG, WebP or HEIC), top to bottom.

    The image is opened with the same checks as an upload and turned upright first, so a photo
    taken sideways reads as the person sees it.
    """
    with open_image(data, _LIMITS) as image:
        decode(image)
        pixels = upright(image).convert("RGB")
    return read_pixels_text(pixels)


def read_pixels_text(image: Image.Image) -> str:
    """The lines of text in an image already in memory."""
    result = ocr_engine()(image)
    assert isinstance(result, RapidOCROutput)  # detection and recognition are both on
    lines = result.txts or ()
    return "\n".join(line for line in lines if line.strip())
