"""PDQ hashes agree with the reference `pdqhash`, survive small edits and read every image mode."""

import io
from itertools import combinations
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from dontpay.domain.evidence import EvidenceLimits
from dontpay.domain.signals import (
    PDQ_MATCH_DISTANCE,
    InvalidMedia,
    InvalidSignal,
    PdqHash,
    hamming_distance,
    parse_pdq,
    pdq_dihedral,
    pdq_hash_file,
    pdq_hash_image,
)

from .conftest import PDQ_REFERENCE, reference_image

REFERENCE_FILES = sorted(
    path for path in PDQ_REFERENCE.iterdir() if path.suffix in {".jpg", ".png"}
)
ORIGINAL = reference_image("bridge-mods--aaa-orig.jpg")
#: The original's hash as python-threatexchange's own hasher gives it.
ORIGINAL_HASH = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"


def reference_hash(pixels: np.ndarray) -> PdqHash:
    """`pdqhash.compute`, written out as python-threatexchange writes it: bits MSB first."""
    bits, quality = pdqhash.compute(pixels)
    return PdqHash(f"{int(''.join(str(bit) for bit in bits), 2):064x}", quality)


def small_photo() -> Image.Image:
    with Image.open(ORIGINAL) as image:
        return image.convert("RGB").resize((160, 120))


def test_reference_images_are_all_there() -> None:
    assert len(REFERENCE_FILES) == 30


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda path: path.name)
def test_every_reference_image_hashes_exactly_as_pdqhash(path: Path) -> None:
    with Image.open(path) as image:
        expected = reference_hash(np.asarray(image.convert("RGB")))
    assert pdq_hash_file(path) == expected
    assert pdq_hash_file(path.read_bytes()) == expected


def test_known_hash_of_the_reference_original() -> None:
    assert pdq_hash_file(ORIGINAL) == PdqHash(ORIGINAL_HASH, 100)


@pytest.mark.parametrize(
    "path", sorted(PDQ_REFERENCE.glob("bridge-mods--*.jpg")), ids=lambda path: path.name
)
def test_edited_copies_of_the_bridge_match_the_original(path: Path) -> None:
    assert hamming_distance(pdq_hash_file(path).hex, ORIGINAL_HASH) <= PDQ_MATCH_DISTANCE


def test_each_dihedral_variant_matches_its_own_dihedral_hash_of_the_original() -> None:
    with Image.open(reference_image("dih--bridge-1-original.jpg")) as image:
        dihedral = pdq_dihedral(image)
    assert len(dihedral) == 8
    variants = sorted(PDQ_REFERENCE.glob("dih--bridge-*.jpg"))
    assert len(variants) == 8
    for variant, turned in zip(variants, dihedral, strict=True):
        plain = pdq_hash_file(variant).hex
        assert hamming_distance(plain, turned.hex) <= PDQ_MATCH_DISTANCE, variant.name
        others = [hamming_distance(plain, other.hex) for other in dihedral if other != turned]
        assert min(others) > PDQ_MATCH_DISTANCE, variant.name


def test_the_first_dihedral_hash_is_the_plain_hash() -> None:
    image = small_photo()
    assert pdq_dihedral(image)[0] == pdq_hash_image(image)


# Each near-duplicate as (how the picture is changed, the JPEG quality it is saved at).
NEAR_DUPLICATES = {
    "resized-to-a-third": (lambda image: image.resize((image.width // 3, image.height // 3)), 90),
    "gaussian-blur-1": (lambda image: image.filter(ImageFilter.GaussianBlur(radius=1)), 90),
    "jpeg-quality-50": (lambda image: image, 50),
}


@pytest.mark.parametrize("name", NEAR_DUPLICATES)
def test_near_duplicates_are_within_the_match_distance(name: str, tmp_path: Path) -> None:
    edit, quality = NEAR_DUPLICATES[name]
    with Image.open(ORIGINAL) as image:
        copy = edit(image.convert("RGB"))
    path = tmp_path / "copy.jpg"
    copy.save(path, quality=quality)
    assert path.read_bytes() != ORIGINAL.read_bytes()
    assert hamming_distance(pdq_hash_file(path).hex, ORIGINAL_HASH) <= PDQ_MATCH_DISTANCE


def test_unrelated_reference_images_are_far_apart() -> None:
    hashes = [pdq_hash_file(path).hex for path in PDQ_REFERENCE.glob("labelme-subset--*.jpg")]
    assert len(hashes) == 7
    for a, b in combinations(hashes, 2):
        assert hamming_distance(a, b) > PDQ_MATCH_DISTANCE


def grey(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("L"))


def as_rgb(channel: np.ndarray) -> np.ndarray:
    return np.repeat(channel[:, :, np.newaxis], 3, axis=2)


def palette_pixels(image: Image.Image) -> np.ndarray:
    palette = np.array(image.getpalette(), dtype=np.uint8).reshape(-1, 3)
    return palette[np.asarray(image)]


def with_alpha(image: Image.Image, mode: str) -> Image.Image:
    converted = image.convert(mode)
    alpha = Image.linear_gradient("L").resize(image.size)
    converted.putalpha(alpha)
    return converted


def transparent_palette(image: Image.Image) -> Image.Image:
    quantised = image.quantize(64)
    quantised.info["transparency"] = 0
    return quantised


# Each mode as (make it from an RGB photo, the RGB pixels the reference hash is taken of).
MODES = {
    "RGBA": (
        lambda image: with_alpha(image, "RGBA"),
        # python-threatexchange hands the four channels to pdqhash, which reads the first three.
        lambda image: np.asarray(with_alpha(image, "RGBA")),
    ),
    "LA": (lambda image: with_alpha(image, "LA"), lambda image: as_rgb(grey(image))),
    "L": (lambda image: image.convert("L"), lambda image: as_rgb(grey(image))),
    "P": (lambda image: image.quantize(64), lambda image: palette_pixels(image.quantize(64))),
    "P-transparent": (
        transparent_palette,
        lambda image: palette_pixels(transparent_palette(image)),
    ),
    # Pillow's RGB to CMYK sets no black ink, so the way back is exact.
    "CMYK": (lambda image: image.convert("CMYK"), np.asarray),
    "I;16": (
        lambda image: Image.fromarray(grey(image).astype(np.uint16) * 257),
        lambda image: as_rgb(grey(image)),
    ),
    "I": (
        lambda image: Image.fromarray(grey(image).astype(np.int32) * 256 + 255),
        lambda image: as_rgb(grey(image)),
    ),
    "1": (
        lambda image: image.convert("1"),
        lambda image: as_rgb((np.asarray(image.convert("1")) * 255).astype(np.uint8)),
    ),
    "YCbCr": (
        lambda image: image.convert("YCbCr"),
        lambda image: np.asarray(image.convert("YCbCr").convert("RGB")),
    ),
}


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_hashes_as_its_reference_rgb(mode: str) -> None:
    make, reference_pixels = MODES[mode]
    photo = small_photo()
    image = make(photo)
    assert image.mode == mode.removesuffix("-transparent")
    assert pdq_hash_image(image) == reference_hash(np.ascontiguousarray(reference_pixels(photo)))


def test_alpha_is_dropped_not_composited() -> None:
    photo = small_photo()
    invisible = photo.convert("RGBA")
    invisible.putalpha(0)
    assert pdq_hash_image(invisible) == pdq_hash_image(photo)


def save(image: Image.Image, image_format: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, image_format, **options)
    return out.getvalue()


def test_a_16_bit_png_hashes_as_its_high_bytes() -> None:
    photo = small_photo()
    wide = Image.fromarray(grey(photo).astype(np.uint16) * 256 + 255)
    data = save(wide, "PNG")
    with Image.open(io.BytesIO(data)) as reopened:
        assert reopened.mode.startswith("I")
    assert pdq_hash_file(data) == pdq_hash_image(photo.convert("L"))


def test_exif_orientation_is_not_applied() -> None:
    photo = small_photo()
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn a quarter clockwise to show"
    turned = save(photo, "PNG", exif=exif)
    assert pdq_hash_file(turned) == pdq_hash_file(save(photo, "PNG"))


def test_text_is_not_an_image() -> None:
    with pytest.raises(InvalidMedia, match="not an image we can hash"):
        pdq_hash_file(b"hello, this is a chat export\n")


def test_a_truncated_image_is_damaged() -> None:
    data = save(small_photo(), "PNG")
    with pytest.raises(InvalidMedia, match="damaged"):
        pdq_hash_file(data[: len(data) // 2])


def test_too_many_pixels_are_refused_before_decoding() -> None:
    data = save(small_photo(), "PNG")
    with pytest.raises(InvalidMedia, match="more than 1,000 pixels"):
        pdq_hash_file(data, limits=EvidenceLimits(max_pixels=1000))


def test_too_large_a_file_is_refused() -> None:
    data = save(small_photo(), "PNG")
    with pytest.raises(InvalidMedia, match="larger than 1 KB"):
        pdq_hash_file(data, limits=EvidenceLimits(max_file_bytes=1024))


def test_parse_pdq_gives_lowercase() -> None:
    assert parse_pdq(ORIGINAL_HASH.upper()) == ORIGINAL_HASH
    assert parse_pdq(f"  {ORIGINAL_HASH}\n") == ORIGINAL_HASH


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "PDQ hash is empty; expected 64 hex digits"),
        ("   ", "PDQ hash is empty; expected 64 hex digits"),
        (ORIGINAL_HASH[:-1], "PDQ hash has 63 characters; expected 64 hex digits"),
        (ORIGINAL_HASH + "0", "PDQ hash has 65 characters; expected 64 hex digits"),
        ("f8f8g" + ORIGINAL_HASH[5:], "PDQ hash has a non-hex character 'g' at position 5"),
        (ORIGINAL_HASH[:63] + "-", "PDQ hash has a non-hex character '-' at position 64"),
    ],
)
def test_parse_pdq_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidSignal) as problem:
        parse_pdq(text)
    assert str(problem.value) == message


def test_hamming_distance_counts_differing_bits() -> None:
    assert hamming_distance("0" * 64, "f" * 64) == 256
    assert hamming_distance("0" * 63 + "1", "0" * 64) == 1
    assert hamming_distance(ORIGINAL_HASH, ORIGINAL_HASH.upper()) == 0


def test_hamming_distance_refuses_what_is_not_a_hash() -> None:
    with pytest.raises(InvalidSignal):
        hamming_distance("abc", ORIGINAL_HASH)


@given(st.binary(min_size=32, max_size=32), st.binary(min_size=32, max_size=32))
def test_hamming_distance_is_the_popcount_of_the_xor(a: bytes, b: bytes) -> None:
    expected = sum(bin(x ^ y).count("1") for x, y in zip(a, b, strict=True))
    assert hamming_distance(a.hex(), b.hex().upper()) == expected
    assert parse_pdq(a.hex().upper()) == a.hex()
