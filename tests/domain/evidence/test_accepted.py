"""Every kind of evidence we accept is recognised from its content alone."""

import inspect
from pathlib import Path

import pytest

from dontpay.domain.evidence import CheckedEvidence, EvidenceLimits, check_evidence

from .samples import HEIF_CAN_ENCODE, image_file, pdf_file


@pytest.mark.parametrize(
    ("image_format", "media_type", "extension"),
    [
        ("PNG", "image/png", ".png"),
        ("JPEG", "image/jpeg", ".jpg"),
        ("WEBP", "image/webp", ".webp"),
    ],
)
def test_screenshots_are_recognised(image_format: str, media_type: str, extension: str) -> None:
    checked = check_evidence(image_file(image_format, width=48, height=30))
    assert checked == CheckedEvidence("screenshot", media_type, extension, 48, 30)


@pytest.mark.skipif(not HEIF_CAN_ENCODE, reason="this libheif build has no HEIF encoder")
def test_heic_screenshots_are_recognised() -> None:
    checked = check_evidence(image_file("HEIF", width=48, height=30))
    assert checked == CheckedEvidence("screenshot", "image/heic", ".heic", 48, 30)


@pytest.mark.parametrize(
    ("content", "media_type", "extension"),
    [
        (b"[12/03/2025, 21:04] them: pay or else", "text/plain", ".txt"),
        ("\ufeffcafé ☕ 21:04".encode(), "text/plain", ".txt"),
        (b"42", "text/plain", ".txt"),
        (b'{"messages": [{"from": "them", "text": "pay"}]}', "application/json", ".json"),
        (b'  [{"text": "pay"}]\n', "application/json", ".json"),
        (b"<!DOCTYPE html><html><body><p>pay</p></body></html>", "text/html", ".html"),
        (b"\xef\xbb\xbf\n  <HTML lang=en><p>pay</p></HTML>", "text/html", ".html"),
        (b"<head><meta charset=utf-8></head>\n<body><div>pay</div></body>", "text/html", ".html"),
        (
            b"<!doctype html><html><body><svg><circle r=1 /></svg></body></html>",
            "text/html",
            ".html",
        ),
    ],
)
def test_chat_exports_are_recognised(content: bytes, media_type: str, extension: str) -> None:
    assert check_evidence(content) == CheckedEvidence(
        "chat-export", media_type, extension, None, None
    )


def test_pdfs_are_recognised() -> None:
    assert check_evidence(pdf_file(pages=3)) == CheckedEvidence(
        "pdf", "application/pdf", ".pdf", None, None
    )


def test_pdf_with_an_empty_password_is_readable_so_accepted() -> None:
    assert check_evidence(pdf_file(password="")).kind == "pdf"


def test_a_png_named_pdf_is_still_a_png(tmp_path: Path) -> None:
    upload = tmp_path / "threat.pdf"
    upload.write_bytes(image_file("PNG"))
    assert check_evidence(upload.read_bytes()).media_type == "image/png"
    assert "name" not in " ".join(inspect.signature(check_evidence).parameters)


def test_files_exactly_at_the_limits_are_accepted() -> None:
    content = b"x" * 1000
    limits = EvidenceLimits(max_file_bytes=1000, max_report_bytes=3000)
    assert check_evidence(content, limits=limits, already_stored_bytes=2000).kind == "chat-export"


def test_screenshots_only_accepts_screenshots() -> None:
    assert check_evidence(image_file("PNG"), screenshots_only=True).kind == "screenshot"
