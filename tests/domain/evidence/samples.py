"""Evidence files made at test time, so no binary fixture is ever committed."""

import io
import random
import struct
import zlib

import pillow_heif
from PIL import Image
from pypdf import PdfWriter

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEIF_CAN_ENCODE = bool(pillow_heif.libheif_info()["HEIF"])


def encode(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def noise(width: int = 64, height: int = 64, seed: int = 1) -> Image.Image:
    """Random pixels: they do not compress, so half a file is missing half its pixels."""
    return Image.frombytes(
        "RGB", (width, height), random.Random(seed).randbytes(width * height * 3)
    )


def image_file(image_format: str, width: int = 64, height: int = 64) -> bytes:
    return encode(noise(width, height), image_format)


def pdf_file(pages: int = 1, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    if password is not None:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body)
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def greyscale_png(width: int, height: int, *, rows: int | None = None) -> bytes:
    """A black 8-bit greyscale PNG built by hand, holding ``rows`` rows of pixel data.

    Rows are compressed one at a time, so even a 10,000 x 10,000 image is made without holding
    100 MB. ``rows=0`` leaves the IDAT chunk out: a header that promises pixels it never sends.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunks = [png_chunk(b"IHDR", header)]
    rows = height if rows is None else rows
    if rows:
        compressor = zlib.compressobj(9)
        row = bytes(width + 1)  # filter byte, then one byte per pixel
        compressed = b"".join(compressor.compress(row) for _ in range(rows))
        chunks.append(png_chunk(b"IDAT", compressed + compressor.flush()))
    chunks.append(png_chunk(b"IEND", b""))
    return PNG_SIGNATURE + b"".join(chunks)
