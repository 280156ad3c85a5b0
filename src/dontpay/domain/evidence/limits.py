"""How much evidence we take, and how we say so."""

from dataclasses import dataclass

_UNITS = (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024))


@dataclass(frozen=True)
class EvidenceLimits:
    """Limits on one file, one report, and the images we are willing to decode.

    The pixel limits are checked from the image header, before any pixel is decoded, so a small
    file that would expand to gigabytes of memory is refused cheaply.
    """

    max_file_bytes: int = 20 * 1024 * 1024
    max_report_bytes: int = 200 * 1024 * 1024
    max_pixels: int = 40_000_000
    max_side: int = 16_384


def describe_size(size: int) -> str:
    """A byte count as people say it: ``20 MB``, ``1.5 KB``, ``300 bytes``."""
    for unit, scale in _UNITS:
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"
