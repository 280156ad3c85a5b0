"""PDQ: the perceptual hash platforms exchange for images (ThreatExchange, StopNCII).

Hashes are bit-for-bit those of the reference `pdqhash` package and of python-threatexchange:
256 bits written MSB-first as 64 lowercase hex digits. Two images are "the same picture" when
their hashes differ in at most `PDQ_MATCH_DISTANCE` bits.

Pixels are hashed as decoded, before any EXIF orientation is applied, because that is what the
reference hasher does; a turned copy is still found through `pdq_dihedral`. Images of every
Pillow mode are turned into 8-bit RGB first (see `rgb_pixels` for how).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image

from dontpay.domain.evidence.errors import EvidenceRejected
from dontpay.domain.evidence.images import decode, looks_like_image, open_image
from dontpay.domain.evidence.limits import EvidenceLimits, describe_size

from .dihedral import PdqDihedral

#: Hashes at most this many bits apart are the same picture (the reference threshold).
PDQ_MATCH_DISTANCE = 31
PDQ_HEX_LENGTH = 64

#: The pixel limits of evidence screenshots, with room for the larger files platforms send.
IMAGE_LIMITS = EvidenceLimits(max_file_bytes=100 * 1024 * 1024)

RgbPixels = npt.NDArray[np.uint8]

#: Modes that `pdqhash` reads as they are once their fourth channel (alpha or padding) is dropped.
_RGB_FIRST = {"RGB", "RGBA", "RGBX"}
#: 16- and 32-bit greyscale: scaled to 8 bits by keeping the high byte of a 16-bit value.
_WIDE_GREY = {"I", "I;16", "I;16L", "I;16B", "I;16N"}
_HEX_DIGITS = frozenset("0123456789abcdef")
_CANONICAL_PDQ = re.compile(r"[0-9a-f]{64}")


class InvalidSignal(ValueError):
    """A hash (or other signal value) that is not in the form its type requires."""


class InvalidMedia(ValueError):
    """A file that cannot be hashed: not an image or video we read, damaged, or too large."""


@dataclass(frozen=True)
class PdqHash:
    """A PDQ hash as 64 lowercase hex digits, and how much detail the image had (0-100).

    Quality under 50 means a nearly flat image whose hash matches too much to be trusted.
    """

    hex: str
    quality: int


def pdq_hash_image(image: Image.Image) -> PdqHash:
    """The PDQ hash of an image already in memory."""
    return pdq_hash_pixels(rgb_pixels(image))


def pdq_hash_pixels(pixels: RgbPixels) -> PdqHash:
    """The PDQ hash of an RGB array of shape (height, width, 3)."""
    bits, quality = pdqhash.compute(pixels)
    return PdqHash(_bits_to_hex(bits), int(quality))


def pdq_dihedral(image: Image.Image) -> list[PdqHash]:
    """The hashes of the image's eight turns and flips, in the reference order.

    Original, rotated 90, 180 and 270 degrees, flipped left-right, flipped top-bottom, flipped
    about the main diagonal and about the other one. The pixels are downscaled once for all eight.
    """
    all_bits, quality = pdqhash.compute_dihedral(rgb_pixels(image))
    return [PdqHash(_bits_to_hex(bits), int(quality)) for bits in all_bits]


def pdq_hash_file(
    source: str | PathLike[str] | bytes, *, limits: EvidenceLimits = IMAGE_LIMITS
) -> PdqHash:
    """The PDQ hash of an image file (PNG, JPEG, WebP or HEIC), given by path or as bytes.

    The pixel count is checked from the header before anything is decoded, with the same
    limits and code as evidence uploads, so a decompression bomb costs nothing.
    """
    return _with_image(source, limits, pdq_hash_image)


def pdq_dihedral_file(
    source: str | PathLike[str] | bytes, *, limits: EvidenceLimits = IMAGE_LIMITS
) -> PdqDihedral:
    """The eight dihedral hashes of an image file, checked as `pdq_hash_file` checks it."""

    def eight(image: Image.Image) -> PdqDihedral:
        hashes = pdq_dihedral(image)
        return PdqDihedral(tuple(h.hex for h in hashes), hashes[0].quality)

    return _with_image(source, limits, eight)


def _with_image[T](
    source: str | PathLike[str] | bytes, limits: EvidenceLimits, compute: Callable[[Image.Image], T]
) -> T:
    data = source if isinstance(source, bytes) else _read_image(Path(source), limits)
    if len(data) > limits.max_file_bytes:
        raise InvalidMedia(f"image is larger than {describe_size(limits.max_file_bytes)}")
    if not looks_like_image(data):
        raise InvalidMedia("not an image we can hash (PNG, JPEG, WebP or HEIC)")
    try:
        with open_image(data, limits) as image:
            decode(image)
            return compute(image)
    except EvidenceRejected as problem:
        raise InvalidMedia(problem.reason) from problem


def rgb_pixels(image: Image.Image) -> RgbPixels:
    """8-bit RGB pixels of any image, converted the way the reference hasher would.

    - RGBA (and LA, PA, palette images with transparency): alpha is dropped, not composited,
      as python-threatexchange does, so a transparent pixel hashes as its stored colour.
    - Greyscale (L, LA, 1): the grey level in all three channels; bilevel black/white is 0/255.
    - 16-bit greyscale (I;16, and I as 16-bit PNGs decode): the high byte, as Pillow itself
      reduces 16-bit colour PNGs. (python-threatexchange lets Pillow clip these at 255 instead,
      which turns most such images white; it fails outright on bilevel and 32-bit images, and
      hashes palette indices and CMYK inks as if they were RGB.)
    - Palette, CMYK, YCbCr and the rest: Pillow's own conversion to RGB.
    """
    if image.mode in _RGB_FIRST:
        pixels = np.asarray(image)[:, :, :3]
    elif image.mode in _WIDE_GREY:
        grey = np.asarray(image).astype(np.uint32)
        high_byte = (np.clip(grey, 0, 0xFFFF) >> 8).astype(np.uint8)
        pixels = np.repeat(high_byte[:, :, np.newaxis], 3, axis=2)
    else:
        try:
            pixels = np.asarray(image.convert("RGB"))
        except ValueError as problem:
            raise InvalidMedia(f"images in mode {image.mode} cannot be hashed") from problem
    return np.ascontiguousarray(pixels, dtype=np.uint8)


def parse_pdq(text: str) -> str:
    """A PDQ hash in canonical form (lowercase hex), or `InvalidSignal` saying what is wrong."""
    value = text.strip().lower()
    if _CANONICAL_PDQ.fullmatch(value):
        return value
    if not value:
        raise InvalidSignal("PDQ hash is empty; expected 64 hex digits")
    if len(value) != PDQ_HEX_LENGTH:
        raise InvalidSignal(
            f"PDQ hash has {len(value)} characters; expected {PDQ_HEX_LENGTH} hex digits"
        )
    for position, character in enumerate(value, start=1):
        if character not in _HEX_DIGITS:
            raise InvalidSignal(
                f"PDQ hash has a non-hex character {character!r} at position {position}"
            )
    return value


#: PDQ sets a bit where a coefficient exceeds the median of all 256, so a real image's hash has
#: close to 128 bits set (fewer only where many coefficients tie, as in a flat image).
REAL_IMAGE_BITS_SET = range(64, 193)


def check_real_image_pdq(value: str) -> str:
    """`value` (canonical hex) if it could come from a real image; a hash such as all zeros,
    which blocks nothing real and matches every near-blank image, raises `InvalidSignal`."""
    bits_set = int(value, 16).bit_count()
    if bits_set not in REAL_IMAGE_BITS_SET:
        raise InvalidSignal(
            f"PDQ hash has {bits_set} of 256 bits set; a hash of a real image has about 128, "
            "so this one cannot be added to the bank"
        )
    return value


def hamming_distance(a_hex: str, b_hex: str) -> int:
    """How many of the 256 bits differ between two PDQ hashes."""
    return (int(parse_pdq(a_hex), 16) ^ int(parse_pdq(b_hex), 16)).bit_count()


def _bits_to_hex(bits: npt.NDArray[np.integer]) -> str:
    return np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes().hex()


def _read_image(path: Path, limits: EvidenceLimits) -> bytes:
    if path.stat().st_size > limits.max_file_bytes:
        raise InvalidMedia(f"image is larger than {describe_size(limits.max_file_bytes)}")
    return path.read_bytes()
