"""Marking a screenshot as the offender's profile picture, through the person's evidence page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dontpay.cases.custody import chain_of, custody_problems
from dontpay.cases.models import EvidenceItem, Report
from dontpay.domain.signals.pdq import pdq_hash_file
from dontpay.intel.models import ProfilePhoto

from ..cases.factories import screenshot

pytestmark = pytest.mark.django_db


def start_with_files(client: Client, *files: SimpleUploadedFile) -> list[EvidenceItem]:
    assert client.post("/report/", {"under_18": "no"}).status_code == 302
    response = client.post("/report/evidence/", {"files": list(files), "action": "upload"})
    assert response.status_code == 302
    return list(EvidenceItem.objects.order_by("id"))


def test_marking_and_unmarking_a_profile_picture(client: Client) -> None:
    png = screenshot("hey cutie, it's Sophie x")
    (item,) = start_with_files(client, SimpleUploadedFile("profile.png", png, "image/png"))
    page = client.get("/report/evidence/").content.decode()
    assert f'value="profile-{item.pk}"' in page
    assert "This is their profile picture" in page

    assert client.post("/report/evidence/", {"action": f"profile-{item.pk}"}).status_code == 302
    photo = ProfilePhoto.objects.get(evidence=item)
    expected = pdq_hash_file(png)
    assert (photo.report_id, photo.pdq, photo.quality) == (
        item.report_id,
        expected.hex,
        expected.quality,
    )
    page = client.get("/report/evidence/").content.decode()
    assert f'value="not-profile-{item.pk}"' in page
    assert "Their profile picture" in page

    marked = [e for e in chain_of(item.report) if e.detail.get("profile_photo")]
    assert [(e.kind, e.detail) for e in marked] == [
        ("field-changed", {"item": item.pk, "profile_photo": "marked"})
    ]

    client.post("/report/evidence/", {"action": f"not-profile-{item.pk}"})
    assert not ProfilePhoto.objects.exists()
    assert [
        e.detail["profile_photo"] for e in chain_of(item.report) if "profile_photo" in e.detail
    ] == [
        "marked",
        "unmarked",
    ]
    assert custody_problems(Report.objects.get(pk=item.report_id)) == []


def test_marking_twice_keeps_one_photo_and_one_event(client: Client) -> None:
    (item,) = start_with_files(client, SimpleUploadedFile("p.png", screenshot(), "image/png"))
    for _ in range(2):
        client.post("/report/evidence/", {"action": f"profile-{item.pk}"})
    assert ProfilePhoto.objects.count() == 1
    assert sum("profile_photo" in e.detail for e in chain_of(item.report)) == 1


def test_only_images_can_be_a_profile_picture(client: Client) -> None:
    (chat,) = start_with_files(
        client, SimpleUploadedFile("chat.txt", b"[12/01/2026] them: pay now", "text/plain")
    )
    assert f"profile-{chat.pk}" not in client.get("/report/evidence/").content.decode()
    assert client.post("/report/evidence/", {"action": f"profile-{chat.pk}"}).status_code == 404
    assert not ProfilePhoto.objects.exists()


def test_another_reports_evidence_cannot_be_marked(client: Client) -> None:
    (theirs,) = start_with_files(Client(), SimpleUploadedFile("a.png", screenshot(), "image/png"))
    start_with_files(client, SimpleUploadedFile("b.png", screenshot("mine"), "image/png"))
    client.post("/report/evidence/", {"action": f"profile-{theirs.pk}"})
    assert not ProfilePhoto.objects.exists()
