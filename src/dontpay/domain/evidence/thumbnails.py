"""Small previews of screenshots for caseworkers, carrying nothing but pixels.

Phone photos hold GPS positions and device serials in EXIF; a preview must never repeat them,
so it is drawn onto a new, empty image before it is saved.
"""

from io import BytesIO

from PIL import Image, ImageFilter

from dontpay.domain.words import words

from .errors import DamagedFile
from .images import decode, open_image, upright
from .limits import EvidenceLimits

_QUALITY = 80
#: Formats whose decoder can cheaply decode at a reduced scale. HEIF is left out on purpose:
#: its "draft" is an embedded thumbnail, which the sender chose and may not match the image.
_DRAFT_FORMATS = {"JPEG", "MPO"}


def make_thumbnail(data: bytes, max_side: int = 320) -> bytes:
    """A JPEG of a checked image, turned upright and fitted within ``max_side``, without metadata.

    Raises `DamagedFile` if the image cannot be decoded (and `ImageTooLarge` for a bomb, since
    it is checked against the default limits again).
    """
    if max_side < 1:
        raise ValueError(f"max_side must be at least 1, not {max_side}")
    with open_image(data, EvidenceLimits()) as image:
        if image.format in _DRAFT_FORMATS:
            image.draft("RGB", (max_side, max_side))
        decode(image)
        try:
            preview = upright(image)
            preview.thumbnail((max_side, max_side))
            flat = _on_white(preview)
            out = BytesIO()
            flat.save(out, "JPEG", quality=_QUALITY)
        except (OSError, ValueError) as error:  # e.g. a mode Pillow cannot convert
            raise DamagedFile(words("We could not make a preview of this image.")) from error
    return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    """The image as RGB on a fresh canvas (no `info`, so no EXIF, ICC or XMP), white behind any
    transparency rather than whatever colour the transparent pixels happen to hold."""
    canvas = Image.new("RGB", image.size, "white")
    if image.mode in {"RGBA", "LA", "PA", "RGBa", "La"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        canvas.paste(rgba, mask=rgba.getchannel("A"))
    else:
        canvas.paste(image.convert("RGB"))
    return canvas


def blurred_preview(thumbnail: bytes) -> bytes:
    """A thumbnail blurred past recognition, for staff looking at a child's record: shrunk to
    a 12-pixel side and blown up again, so no detail survives for anyone to undo."""
    with Image.open(BytesIO(thumbnail), formats=("JPEG",)) as image:
        size = image.size
        tiny = image.convert("RGB")
        tiny.thumbnail((12, 12))
        blurred = tiny.resize(size, Image.Resampling.BILINEAR).filter(ImageFilter.BoxBlur(8))
    out = BytesIO()
    blurred.save(out, "JPEG", quality=_QUALITY)
    return out.getvalue()
