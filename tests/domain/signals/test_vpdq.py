"""vPDQ: one PDQ hash per second of video, in vPDQ's text form, matched by vPDQ's rule."""

from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from dontpay.domain.signals import (
    InvalidMedia,
    InvalidSignal,
    VideoLimits,
    VideoMatch,
    VideoTooLarge,
    VpdqFeature,
    features_from_lines,
    features_to_lines,
    hamming_distance,
    match_video,
    pdq_hash_pixels,
    vpdq_hash_video,
)

from .conftest import decoded_frames, video_frames, write_video


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An original, a copy re-encoded into another container at another size, and another."""
    folder = tmp_path_factory.mktemp("videos")
    original = write_video(folder / "original.mp4", video_frames(seed=1))
    return {
        "original": original,
        "copy": write_video(folder / "copy.mkv", decoded_frames(original), size=48),
        "unrelated": write_video(folder / "unrelated.mp4", video_frames(seed=2)),
    }


@pytest.fixture(scope="module")
def original(videos: dict[str, Path]) -> list[VpdqFeature]:
    return vpdq_hash_video(videos["original"])


def test_one_frame_is_hashed_per_second(original: list[VpdqFeature]) -> None:
    assert [feature.frame_number for feature in original] == [0, 10, 20, 30, 40, 50]
    assert [feature.timestamp for feature in original] == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_each_feature_is_the_pdq_hash_of_its_frame(
    videos: dict[str, Path], original: list[VpdqFeature]
) -> None:
    frames = decoded_frames(videos["original"])
    for feature in original:
        frame_hash = pdq_hash_pixels(frames[feature.frame_number])
        assert (feature.hash, feature.quality) == (frame_hash.hex, frame_hash.quality)


def test_sampling_follows_time_not_frame_count(tmp_path: Path) -> None:
    path = write_video(tmp_path / "fast.mp4", video_frames(seed=3, seconds=3, fps=25), fps=25)
    features = vpdq_hash_video(path)
    assert [feature.frame_number for feature in features] == [0, 25, 50]
    every_half_second = vpdq_hash_video(path, seconds_per_frame=0.5)
    assert [feature.timestamp for feature in every_half_second] == [0.0, 0.52, 1.0, 1.52, 2.0, 2.52]


def test_a_reencoded_resized_copy_matches(
    videos: dict[str, Path], original: list[VpdqFeature]
) -> None:
    copy = vpdq_hash_video(videos["copy"])
    assert [feature.hash for feature in copy] != [feature.hash for feature in original]
    assert match_video(copy, original) == VideoMatch(1.0, 1.0, matched=True)


def test_an_unrelated_video_does_not_match(
    videos: dict[str, Path], original: list[VpdqFeature]
) -> None:
    unrelated = vpdq_hash_video(videos["unrelated"])
    match = match_video(unrelated, original)
    assert match.matched is False
    assert match.query_share == match.bank_share == 0.0


def test_a_clip_matches_only_if_the_bank_share_allows_it(original: list[VpdqFeature]) -> None:
    clip = original[:3]
    assert match_video(clip, original) == VideoMatch(1.0, 0.5, matched=False)
    assert match_video(clip, original, bank_share=0.5).matched is True
    assert match_video(original, clip) == VideoMatch(0.5, 1.0, matched=False)


def test_frames_under_the_quality_threshold_are_not_compared(
    original: list[VpdqFeature],
) -> None:
    flat = [replace(feature, quality=49) for feature in original]
    assert match_video(flat, original) == VideoMatch(0.0, 0.0, matched=False)
    assert match_video(flat, original, quality=49).matched is True


def test_repeated_frames_count_once(original: list[VpdqFeature]) -> None:
    first = original[0]
    opposite = replace(first, hash=f"{int(first.hash, 16) ^ (2**256 - 1):064x}")
    still = [first] * 5 + [opposite]
    assert match_video(still, original[:1]) == VideoMatch(0.5, 1.0, matched=False)


def test_the_distance_threshold_is_inclusive(original: list[VpdqFeature]) -> None:
    first = original[0]
    flipped = f"{int(first.hash, 16) ^ 0b111:064x}"  # three bits differ
    assert hamming_distance(first.hash, flipped) == 3
    near = [replace(first, hash=flipped)]
    assert match_video(near, [first], distance=3).matched is True
    assert match_video(near, [first], distance=2).matched is False


def test_features_round_trip_through_vpdq_lines(original: list[VpdqFeature]) -> None:
    lines = features_to_lines(original)
    assert lines[1] == f"10,{original[1].quality},{original[1].hash},1.000"
    assert features_from_lines([*lines, ""]) == original


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("0,100,abc", "vPDQ line 1 has 3 fields; expected frame_number,quality,hash,time"),
        (f"x,100,{'0' * 64},0.000", "vPDQ line 1: frame number and quality must be whole numbers"),
        (f"0,101,{'0' * 64},0.000", "vPDQ line 1: frame number and time must not be negative"),
        (f"0,100,{'0' * 64},-1", "vPDQ line 1: frame number and time must not be negative"),
        (f"0,100,{'0' * 63},0.000", "vPDQ line 1: PDQ hash has 63 characters"),
    ],
)
def test_bad_feature_lines_say_which_line_and_what(line: str, message: str) -> None:
    with pytest.raises(InvalidSignal, match=message.replace("(", r"\(")):
        features_from_lines([line])


def test_no_features_is_not_a_vpdq_hash() -> None:
    with pytest.raises(InvalidSignal, match="no features"):
        features_from_lines(["", "  "])


def test_text_is_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("not a video at all\n" * 40)
    with pytest.raises(InvalidMedia, match="not a video we can hash"):
        vpdq_hash_video(path)


def test_a_truncated_video_is_damaged(tmp_path: Path, videos: dict[str, Path]) -> None:
    path = tmp_path / "truncated.mp4"
    path.write_bytes(videos["original"].read_bytes()[:600])
    with pytest.raises(InvalidMedia, match="damaged"):
        vpdq_hash_video(path)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (VideoLimits(max_seconds=3), "longer than 3 seconds"),
        (VideoLimits(max_side=32), "frames of 64x64 are larger"),
        (VideoLimits(max_frames=20), "more than 20 frames"),
        (VideoLimits(max_file_bytes=1000), "larger than 1000 bytes"),
    ],
)
def test_videos_over_a_limit_are_refused(
    videos: dict[str, Path], limits: VideoLimits, message: str
) -> None:
    with pytest.raises(VideoTooLarge, match=message):
        vpdq_hash_video(videos["original"], limits=limits)


def test_a_file_with_only_sound_has_no_video(tmp_path: Path) -> None:
    path = tmp_path / "voice-note.mp4"
    with av.open(str(path), "w") as output:
        stream = output.add_stream("aac", rate=8000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), dtype=np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate = 8000
        output.mux(stream.encode(frame))
        output.mux(stream.encode())
    with pytest.raises(InvalidMedia, match="no video stream"):
        vpdq_hash_video(path)
