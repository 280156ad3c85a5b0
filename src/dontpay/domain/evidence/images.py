"""Screenshots: refuse decompression bombs from the header, then decode fully to prove it.

Pillow's `Image.open` reads only the header, so the size is checked before a single pixel is
allocated. Only the four plugins we accept are ever tried: a file starting with a PNG signature
is never handed to, say, the EPS plugin.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

from PIL import Image, ImageFile, ImageOps
from pillow_heif import register_heif_opener

from dontpay.domain.words import words

from .checked import SCREENSHOT, CheckedEvidence
from .errors import CameraPhoto, DamagedFile, ImageTooLarge
from .limits import EvidenceLimits

register_heif_opener()

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
#: ISO base media brands that pillow-heif opens as HEIF (AVIF and video brands are not here).
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1")
#: Pillow format name -> (media type, extension). MPO is a JPEG with extra frames, as phones
#: write them; Pillow's JPEG plugin names it so on its own.
_FORMATS = {
    "PNG": ("image/png", ".png"),
    "JPEG": ("image/jpeg", ".jpg"),
    "MPO": ("image/jpeg", ".jpg"),
    "WEBP": ("image/webp", ".webp"),
    "HEIF": ("image/heic", ".heic"),
}
_PLUGINS = ("PNG", "JPEG", "WEBP", "HEIF")
#: EXIF orientations that turn the image a quarter, so width and height swap when shown.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112
#: EXIF tags that only a camera writes: Make and Model (IFD0); in the Exif IFD, exposure time,
#: f-number, ISO, the time the shutter opened, focal length, lens make and lens model.
_CAMERA_TAGS = (0x010F, 0x0110)
_EXIF_IFD = 0x8769
_EXPOSURE_TAGS = (0x829A, 0x829D, 0x8827, 0x9003, 0x920A, 0xA433, 0xA434)
_DAMAGED = words("This image is damaged or incomplete, so we cannot open it.")


def looks_like_image(data: bytes) -> bool:
    """Whether the content starts like one of the image formats we accept."""
    return (
        data.startswith((_PNG, _JPEG))
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS)
    )


def check_image(
    data: bytes, limits: EvidenceLimits, *, screenshots_only: bool = False
) -> CheckedEvidence:
    """Check a screenshot's size from its header, then decode every pixel of it.

    With `screenshots_only`, an image whose metadata says a camera took it is refused with
    `CameraPhoto`: screenshots carry no camera make, model or exposure.
    """
    with open_image(data, limits) as image:
        decode(image)
        if screenshots_only and taken_by_camera(image):
            raise CameraPhoto()
        media_type, extension = _FORMATS[str(image.format)]
        width, height = image.size
        if _orientation(image) in _QUARTER_TURNS:
            width, height = height, width
        return CheckedEvidence(SCREENSHOT, media_type, extension, width, height)


@contextmanager
def open_image(data: bytes, limits: EvidenceLimits) -> Iterator[ImageFile.ImageFile]:
    """Open an image lazily and refuse it if its header promises too many pixels.

    Pillow raises `DecompressionBombError` above twice its `MAX_IMAGE_PIXELS` and only warns
    between once and twice that. Silencing or escalating that warning would change the
    process-wide warning filters, which is not safe under a threaded web server, so instead we
    refuse anything over Pillow's limit ourselves (and still catch the warning, should someone
    run with warnings as errors).
    """
    try:
        image = Image.open(BytesIO(data), formats=_PLUGINS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge() from error
    except Exception as error:  # Pillow raises many types on hostile input; all mean damaged.
        raise DamagedFile(_DAMAGED) from error
    with image:
        if image.format not in _FORMATS:
            raise DamagedFile(_DAMAGED)
        _check_pixels(image.size, limits)
        yield image


def decode(image: ImageFile.ImageFile) -> None:
    """Decode every pixel, so a truncated or malformed file is found now and not later."""
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge() from error
    except Exception as error:  # Decoders raise OSError, SyntaxError, struct.error, zlib.error…
        raise DamagedFile(_DAMAGED) from error


def taken_by_camera(image: Image.Image) -> bool:
    """Whether the image's EXIF names a camera or records an exposure, as photos from a camera
    or a phone's camera app do. Unreadable EXIF counts as a camera: it cannot show otherwise."""
    try:
        exif = image.getexif()
        details = exif.get_ifd(_EXIF_IFD)
    except Exception:  # Hostile EXIF raises many types; refusing is the safe reading of it.
        return True
    return any(tag in exif for tag in _CAMERA_TAGS) or any(tag in details for tag in _EXPOSURE_TAGS)


def upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; unturned if that EXIF is unreadable."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # Broken EXIF must not cost the person their (otherwise fine) screenshot.
        return image


def _check_pixels(size: tuple[int, int], limits: EvidenceLimits) -> None:
    width, height = size
    max_pixels = limits.max_pixels
    if Image.MAX_IMAGE_PIXELS is not None:
        max_pixels = min(max_pixels, Image.MAX_IMAGE_PIXELS)
    if width > limits.max_side or height > limits.max_side:
        raise ImageTooLarge(
            words(
                "This image is wider or taller than {pixels} pixels, "
                "which is more than we can safely open.",
                pixels=limits.max_side,
            )
        )
    if width * height > max_pixels:
        raise ImageTooLarge(
            words(
                "This image has more than {pixels} pixels, which is more than we can safely open.",
                pixels=max_pixels,
            )
        )


def _orientation(image: Image.Image) -> int | None:
    try:
        value = image.getexif().get(_EXIF_ORIENTATION)
    except Exception:  # As in `upright`: unreadable EXIF means "not turned".
        return None
    return value if isinstance(value, int) else None
