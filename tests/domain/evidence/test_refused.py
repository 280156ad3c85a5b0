"""Files we refuse, each with the exception that says why and a reason a person can read."""

import io
import random
import zipfile

import pytest

from dontpay.domain.evidence import (
    DamagedFile,
    EvidenceLimits,
    EvidenceRejected,
    EvidenceTooLarge,
    NotAScreenshot,
    UnsupportedType,
    check_evidence,
)

from .samples import PNG_SIGNATURE, encode, image_file, noise, pdf_file

UNSUPPORTED = (
    "We can only accept screenshots (PNG, JPEG, WebP, HEIC), "
    "chat exports (TXT, HTML, JSON) and PDF files."
)
NOT_A_SCREENSHOT = (
    "For your safety we only accept screenshots of messages and profiles here. "
    "Please do not upload any image of yourself."
)


def zip_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("chat.txt", "pay or else")
    return out.getvalue()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG", "WEBP"])
def test_truncated_images_are_damaged(image_format: str) -> None:
    data = image_file(image_format)
    with pytest.raises(DamagedFile) as refused:
        check_evidence(data[: len(data) // 2])
    assert refused.value.reason == "This image is damaged or incomplete, so we cannot open it."


@pytest.mark.parametrize(
    ("data", "refusal"),
    [
        (PNG_SIGNATURE + random.Random(1).randbytes(200), DamagedFile),
        (b"\xff\xd8\xff" + random.Random(2).randbytes(200), DamagedFile),
        (b"RIFF\x00\x01\x00\x00WEBPVP8 " + random.Random(3).randbytes(200), DamagedFile),
        (b"%PDF-1.7\n" + random.Random(4).randbytes(500), DamagedFile),
        (pdf_file(pages=2)[:300], DamagedFile),
        (random.Random(5).randbytes(1000), UnsupportedType),
    ],
    ids=["png-garbage", "jpeg-garbage", "webp-garbage", "pdf-junk", "pdf-cut", "random"],
)
def test_wrong_or_broken_magic_is_refused(data: bytes, refusal: type[EvidenceRejected]) -> None:
    with pytest.raises(refusal):
        check_evidence(data)


def test_password_protected_pdf_is_refused_with_a_way_forward() -> None:
    with pytest.raises(DamagedFile, match="password") as refused:
        check_evidence(pdf_file(password="secret"))
    assert "without the password" in refused.value.reason


def test_pdf_over_500_pages_is_too_large() -> None:
    with pytest.raises(EvidenceTooLarge) as refused:
        check_evidence(pdf_file(pages=501))
    assert refused.value.reason == "This PDF has more than 500 pages."


@pytest.mark.parametrize(
    "data",
    [
        encode(noise(8, 8), "GIF"),
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- icon -->\n<SVG><script>alert(1)</script></SVG>',
        zip_file(),
        b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00",
        b"them: pay\x00or else",
        "caf\u00e9".encode("latin-1"),
        "pay or else".encode("utf-16"),
        b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom",
    ],
    ids=["gif", "svg", "svg-xml", "zip", "elf", "exe", "nul", "latin-1", "utf-16", "mp4"],
)
def test_other_types_are_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedType) as refused:
        check_evidence(data)
    assert refused.value.reason == UNSUPPORTED


def test_empty_file_is_refused() -> None:
    with pytest.raises(DamagedFile, match="empty"):
        check_evidence(b"")


def test_file_over_the_file_limit_is_too_large() -> None:
    with pytest.raises(EvidenceTooLarge) as refused:
        check_evidence(b"x" * 2048, limits=EvidenceLimits(max_file_bytes=1024))
    assert refused.value.reason == "This file is larger than 1 KB."


def test_default_file_limit_is_described_in_megabytes() -> None:
    with pytest.raises(EvidenceTooLarge) as refused:
        check_evidence(b"x" * (20 * 1024 * 1024 + 1))
    assert refused.value.reason == "This file is larger than 20 MB."


def test_file_that_would_take_the_report_over_its_limit_is_too_large() -> None:
    with pytest.raises(EvidenceTooLarge) as refused:
        check_evidence(b"x" * 20, already_stored_bytes=200 * 1024 * 1024 - 10)
    assert refused.value.reason == (
        "With this file the report would be larger than 200 MB, the most one report can hold."
    )


def test_size_is_checked_before_content() -> None:
    with pytest.raises(EvidenceTooLarge):
        check_evidence(zip_file(), limits=EvidenceLimits(max_file_bytes=10))


@pytest.mark.parametrize(
    "data",
    [pdf_file(), b"them: pay or else", b'{"messages": []}', encode(noise(8, 8), "GIF"), zip_file()],
    ids=["pdf", "txt", "json", "gif", "zip"],
)
def test_screenshots_only_refuses_everything_but_images(data: bytes) -> None:
    with pytest.raises(NotAScreenshot) as refused:
        check_evidence(data, screenshots_only=True)
    assert refused.value.reason == NOT_A_SCREENSHOT


def test_screenshots_only_still_says_when_an_image_is_damaged() -> None:
    data = image_file("PNG")
    with pytest.raises(DamagedFile):
        check_evidence(data[:100], screenshots_only=True)


def test_every_refusal_is_a_value_error_with_a_readable_reason() -> None:
    with pytest.raises(ValueError, match="only accept") as refused:
        check_evidence(zip_file())
    assert isinstance(refused.value, EvidenceRejected)
    assert str(refused.value) == refused.value.reason
