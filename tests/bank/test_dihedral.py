"""Turned and mirrored copies found through the API: every reference image, banked once, is
matched by each of its eight turns and flips, sent as the upload's eight dihedral hashes."""

import functools

import pytest
from PIL import Image

from dontpay.bank.models import BankEntry
from dontpay.bank.submissions import store_signals
from dontpay.domain.signals import (
    DIHEDRAL_TRANSFORMS,
    pdq_dihedral,
    pdq_hash_file,
)
from tests.testdata import PDQ_REFERENCE

from .conftest import OTHER, PHOTO, ApiClient, flip_bits

pytestmark = pytest.mark.django_db

REFERENCE_IMAGES = sorted(p for p in PDQ_REFERENCE.iterdir() if p.suffix in {".jpg", ".png"})
#: Pillow's transposes, in the reference order of the eight transforms.
TURNS = {
    "original": None,
    "rotate-90": Image.Transpose.ROTATE_90,
    "rotate-180": Image.Transpose.ROTATE_180,
    "rotate-270": Image.Transpose.ROTATE_270,
    "flip-x": Image.Transpose.FLIP_TOP_BOTTOM,
    "flip-y": Image.Transpose.FLIP_LEFT_RIGHT,
    "flip-plus-1": Image.Transpose.TRANSPOSE,
    "flip-minus-1": Image.Transpose.TRANSVERSE,
}
#: Turning an upload by the inverse of how it was turned gives the banked picture back.
INVERSE = {**{name: name for name in TURNS}, "rotate-90": "rotate-270", "rotate-270": "rotate-90"}
#: 256-pixel scenes with little structure (a calm sea, a hazy sky): mirrored, their PDQ
#: hashes move 38 to 116 bits, even as `pdqhash.compute_dihedral` turns them back, because
#: the reference downscale samples a mirrored image on a grid one pixel over, which for these
#: pictures flips many bits. No matcher of the reference hashes finds those copies.
PDQ_CANNOT_TURN = {
    "labelme-subset--q0003.jpg",
    "labelme-subset--q0004.jpg",
    "labelme-subset--q0122.jpg",
    "labelme-subset--q0291.jpg",
    "labelme-subset--q0746.jpg",
    "labelme-subset--q1050.jpg",
    "labelme-subset--q2821.jpg",
}
#: Uploads are the turned image shrunk to at most this many pixels a side, as platforms
#: re-encode them; it keeps the test quick (PDQ itself works on a 64 x 64 downscale).
UPLOAD_SIDE = 512


@functools.cache
def uploads() -> list[tuple[str, str, list[str]]]:
    """(image name, transform applied, the upload's eight hashes) for every reference image."""
    made = []
    for path in REFERENCE_IMAGES:
        with Image.open(path) as image:
            image.load()
            image.thumbnail((UPLOAD_SIDE, UPLOAD_SIDE))
            for name, turn in TURNS.items():
                turned = image if turn is None else image.transpose(turn)
                made.append((path.name, name, [h.hex for h in pdq_dihedral(turned)]))
    return made


def dihedral_request(*uploads: list[str]) -> dict[str, object]:
    return {"signals": [{"type": "pdq", "dihedral": hashes} for hashes in uploads]}


def test_all_eight_turns_of_every_reference_image_match_the_banked_original(
    api: ApiClient,
) -> None:
    assert len(REFERENCE_IMAGES) == 30
    banked = {path.name: pdq_hash_file(path).hex for path in REFERENCE_IMAGES}
    store_signals([("pdq", value, None) for value in set(banked.values())], "import")
    entry_of = dict(BankEntry.objects.values_list("value", "id"))
    made = uploads()
    response = api.post("/api/v1/match/dihedral", dihedral_request(*(u[2] for u in made)))
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [result["signal"] for result in results] == list(range(len(made)))
    missed = set()
    for (name, turned, hashes), result in zip(made, results, strict=True):
        # The answer is exactly what comparing the eight hashes with every entry gives.
        assert result["matches"] == expected_matches(hashes, entry_of), f"{name} {turned}"
        found = {match["entry"]: match for match in result["matches"]}
        original = found.get(entry_of[banked[name]])
        if original is None:
            missed.add((name, turned))
            continue
        assert original["transform"] == INVERSE[turned], f"{name} {turned}"
    # Every other image is found in all eight turns; these seven always unturned and transposed,
    # and in other turns only where their hashes stay within 31 bits.
    assert {name for name, _ in missed} == PDQ_CANNOT_TURN
    assert not {turned for _, turned in missed} & {"original", "flip-plus-1"}


def expected_matches(hashes: list[str], entry_of: dict[str, int]) -> list[dict[str, object]]:
    """Every entry within 31 bits of any of the eight, at the nearest (first on a tie), by brute
    force: the index must agree with it."""
    found = []
    turned_bits = [int(turned, 16) for turned in hashes]
    for value, entry in entry_of.items():
        distances = [(int(value, 16) ^ bits).bit_count() for bits in turned_bits]
        nearest = min(distances)
        if nearest <= 31:
            transform = DIHEDRAL_TRANSFORMS[distances.index(nearest)]
            found.append({"entry": entry, "distance": nearest, "transform": transform})
    return sorted(found, key=lambda match: (match["distance"], match["entry"]))


def test_the_reference_turned_files_report_the_turn_that_brings_them_back(
    api: ApiClient,
) -> None:
    original = pdq_hash_file(PDQ_REFERENCE / "dih--bridge-1-original.jpg")
    store_signals([("pdq", original.hex, original.quality)], "import")
    variants = sorted(PDQ_REFERENCE.glob("dih--bridge-*.jpg"))
    eight = []
    for path in variants:
        with Image.open(path) as image:
            eight.append([h.hex for h in pdq_dihedral(image)])
    response = api.post("/api/v1/match/dihedral", dihedral_request(*eight))
    assert response.status_code == 200, response.content
    reported = [result["matches"][0]["transform"] for result in response.json()["results"]]
    assert reported == [INVERSE[name] for name in DIHEDRAL_TRANSFORMS]
    # Sent one hash at a time, only the unturned copy is found.
    plain = api.match(*(hashes[0] for hashes in eight)).json()["results"]
    assert [bool(result["matches"]) for result in plain] == [True] + [False] * 7


def test_one_entry_is_reported_once_at_its_nearest_transform(api: ApiClient) -> None:
    store_signals([("pdq", PHOTO, 100)], "import")
    # Two of the eight are near the entry: the nearer one is reported, not both.
    upload = [OTHER] * 8
    upload[2], upload[6] = flip_bits(PHOTO, 12), flip_bits(PHOTO, 4)
    response = api.post("/api/v1/match/dihedral", dihedral_request(upload, [OTHER] * 8))
    assert response.status_code == 200, response.content
    [first, second] = response.json()["results"]
    assert [(m["distance"], m["transform"]) for m in first["matches"]] == [(4, "flip-plus-1")]
    assert second["matches"] == []


def test_an_upload_without_exactly_eight_valid_hashes_is_refused(api: ApiClient) -> None:
    seven = api.post("/api/v1/match/dihedral", dihedral_request([PHOTO] * 7))
    assert seven.status_code == 422
    assert seven["Content-Type"] == "application/problem+json"
    assert seven.json()["errors"] == ["signals[0].dihedral: at least 8 item(s) needed"]
    bad = [PHOTO] * 8
    bad[5] = PHOTO[:-1]
    response = api.post("/api/v1/match/dihedral", dihedral_request(bad))
    assert response.status_code == 422
    assert response.json()["errors"] == [
        "signals[0].dihedral: [5] PDQ hash has 63 characters; expected 64 hex digits"
    ]
    too_many = api.post("/api/v1/match/dihedral", dihedral_request(*[[PHOTO] * 8] * 1001))
    assert too_many.status_code == 422
    assert too_many.json()["errors"] == ["signals: at most 1000 items, got 1001"]
