"""Previews: small, JPEG, upright, and carrying none of the original's metadata."""

import io

import pytest
from PIL import ExifTags, Image

from dontpay.domain.evidence import DamagedFile, ImageTooLarge, check_evidence, make_thumbnail

from .samples import HEIF_CAN_ENCODE, encode, greyscale_png, image_file

RED = (255, 0, 0)
BLUE = (0, 0, 255)


def opened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def red_left_blue_right(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width // 2, height))
    return image


def close_to(pixel: object, colour: tuple[int, int, int]) -> bool:
    assert isinstance(pixel, tuple)
    return all(abs(a - b) < 40 for a, b in zip(pixel, colour, strict=True))


def photo_with_gps(orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 26.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.0),
    }
    return encode(red_left_blue_right(400, 200), "JPEG", exif=exif, quality=95)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_thumbnail_is_a_jpeg_that_fits(image_format: str) -> None:
    thumbnail = opened(make_thumbnail(image_file(image_format, width=1000, height=500)))
    assert thumbnail.format == "JPEG"
    assert thumbnail.mode == "RGB"
    assert thumbnail.size == (320, 160)


def test_thumbnail_respects_a_smaller_max_side() -> None:
    assert opened(make_thumbnail(image_file("PNG", 100, 300), max_side=30)).size == (10, 30)


def test_small_images_are_not_enlarged() -> None:
    assert opened(make_thumbnail(image_file("PNG", 40, 20))).size == (40, 20)


@pytest.mark.skipif(not HEIF_CAN_ENCODE, reason="this libheif build has no HEIF encoder")
def test_heic_gets_a_jpeg_thumbnail() -> None:
    thumbnail = opened(make_thumbnail(image_file("HEIF", 640, 480)))
    assert (thumbnail.format, thumbnail.size) == ("JPEG", (320, 240))


def test_thumbnail_carries_no_exif_or_gps() -> None:
    original = photo_with_gps()
    assert opened(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the sample has GPS
    data = make_thumbnail(original)
    thumbnail = opened(data)
    assert not thumbnail.getexif()
    assert not thumbnail.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "exif" not in thumbnail.info
    assert b"Exif" not in data
    assert b"PhoneCo" not in data


def test_thumbnail_is_turned_upright_by_exif_orientation() -> None:
    original = photo_with_gps(orientation=6)  # stored 400 x 200, shown turned a quarter right
    assert check_evidence(original).width == 200
    thumbnail = opened(make_thumbnail(original))
    assert thumbnail.size == (160, 320)
    assert close_to(thumbnail.getpixel((80, 40)), RED)  # the left half is now on top
    assert close_to(thumbnail.getpixel((80, 280)), BLUE)


def test_transparent_pixels_become_white() -> None:
    image = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    thumbnail = opened(make_thumbnail(encode(image, "PNG")))
    assert close_to(thumbnail.getpixel((10, 10)), (255, 255, 255))


def test_damaged_or_non_image_data_cannot_be_thumbnailed() -> None:
    data = image_file("PNG")
    for broken in (data[: len(data) // 2], b"them: pay or else"):
        with pytest.raises(DamagedFile):
            make_thumbnail(broken)


def test_pixel_floods_are_not_thumbnailed() -> None:
    with pytest.raises(ImageTooLarge):
        make_thumbnail(greyscale_png(50_000, 50_000, rows=0))
