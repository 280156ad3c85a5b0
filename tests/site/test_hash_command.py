"""`dontpay hash` as people run it: a real process, real exit codes, no tracebacks."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from dontpay.domain.signals import (
    DIHEDRAL_TRANSFORMS,
    hamming_distance,
    pdq_dihedral,
    pdq_hash_file,
)
from tests.domain.signals.conftest import (
    PDQ_REFERENCE,
    reference_image,
    video_frames,
    write_video,
)

IMAGES = [
    reference_image(name)
    for name in (
        "labelme-subset--q0122.jpg",
        "dih--bridge-2-rotate-90.jpg",
        "pen-and-coaster.png",
        "labelme-subset--q0746.jpg",
        "misc-images--wee.jpg",
    )
]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dontpay.site.cli", "hash", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_json_for_images_and_a_video_in_the_order_given(tmp_path: Path) -> None:
    # Named as an image, but it is a video: the content decides.
    video = write_video(
        tmp_path / "holiday.jpg", video_frames(seed=4, seconds=3), container_format="mp4"
    )
    files = [IMAGES[0], video, *IMAGES[1:]]
    result = run(*files, "--json", "--workers", "2")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [entry["file"] for entry in report["files"]] == [str(path) for path in files]
    assert [entry["type"] for entry in report["files"]] == ["pdq", "vpdq", *["pdq"] * 4]
    for path, entry in zip(files, report["files"], strict=True):
        if entry["type"] == "pdq":
            expected = pdq_hash_file(path)
            assert entry == {
                "file": str(path),
                "type": "pdq",
                "hash": expected.hex,
                "quality": expected.quality,
            }
    features = report["files"][1]["features"]
    assert [feature["frame_number"] for feature in features] == [0, 10, 20]
    assert [feature["timestamp"] for feature in features] == [0.0, 1.0, 2.0]
    assert set(features[0]) == {"frame_number", "quality", "hash", "timestamp"}
    assert all(len(feature["hash"]) == 64 for feature in features)


def test_text_output_has_one_line_per_image_and_per_video_feature(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.mkv", video_frames(seed=5, seconds=2))
    result = run(IMAGES[2], video, "--workers", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    expected = pdq_hash_file(IMAGES[2])
    assert lines[0] == f"pdq {expected.hex} {expected.quality} {IMAGES[2]}"
    assert len(lines) == 3
    assert lines[1].startswith("vpdq 0,")
    assert lines[1].endswith(f",0.000 {video}")
    assert lines[2].startswith("vpdq 10,")
    assert lines[2].endswith(f",1.000 {video}")


def test_a_file_that_is_no_image_fails_the_whole_run(tmp_path: Path) -> None:
    notes = tmp_path / "notes.png"
    notes.write_text("the account name was …\n")
    result = run(IMAGES[0], notes, IMAGES[1], "--json", "--workers", "2")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"dontpay hash: {notes}: not an image or video we can hash\n"


def test_a_damaged_image_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(IMAGES[0].read_bytes()[:2000])
    with pytest.raises(SystemExit) as exit:
        call_command("hash", str(damaged))
    assert exit.value.code == 2
    assert capsys.readouterr().err == (
        f"dontpay hash: {damaged}: This image is damaged or incomplete, so we cannot open it.\n"
    )


def test_a_missing_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.jpg"
    with pytest.raises(SystemExit) as exit:
        call_command("hash", str(missing), "--json")
    assert exit.value.code == 2
    assert capsys.readouterr() == (
        "",
        f"dontpay hash: {missing}: cannot read: No such file or directory\n",
    )


def test_workers_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        call_command("hash", str(IMAGES[0]), "--workers", "0")
    assert exit.value.code == 2
    assert capsys.readouterr().err == "dontpay hash: workers: must be at least 1\n"


def test_the_same_file_twice_gives_the_same_hash_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = shutil.copy(IMAGES[0], tmp_path / "copy.jpg")
    call_command("hash", str(IMAGES[0]), str(copy), "--json", "--workers", "2")
    first, second = json.loads(capsys.readouterr().out)["files"]
    assert first["file"] != second["file"]
    assert (first["hash"], first["quality"]) == (second["hash"], second["quality"])


def test_dihedral_gives_each_image_its_eight_turns_and_flips(tmp_path: Path) -> None:
    video = write_video(tmp_path / "clip.mkv", video_frames(seed=6, seconds=1))
    image = reference_image("dih--bridge-1-original.jpg")
    result = run(image, video, "--dihedral", "--json", "--workers", "1")
    assert result.returncode == 0, result.stderr
    still, moving = json.loads(result.stdout)["files"]
    with Image.open(image) as opened:
        expected = pdq_dihedral(opened)
    assert still["dihedral"] == [turned.hex for turned in expected]
    assert (still["hash"], still["quality"]) == (expected[0].hex, expected[0].quality)
    assert moving["type"] == "vpdq"
    assert "dihedral" not in moving
    # Each of the reference turned copies is within the match distance of one of the eight.
    for number, name in enumerate(DIHEDRAL_TRANSFORMS):
        variant = next(PDQ_REFERENCE.glob(f"dih--bridge-{number + 1}-*.jpg"))
        assert hamming_distance(pdq_hash_file(variant).hex, still["dihedral"][number]) <= 31, name

    text = run(image, "--dihedral")
    assert text.returncode == 0, text.stderr
    hashes = ",".join(turned.hex for turned in expected)
    assert text.stdout == f"pdq-dihedral {hashes} {expected[0].quality} {image}\n"
