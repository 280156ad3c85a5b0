"""vPDQ: video as a list of PDQ hashes of frames, one per second, and the rule for matching.

The features and their text form are those of Meta's vPDQ (ThreatExchange `vpdq`), so hashes we
compute can be exchanged with platforms that use it; the matching rule is vPDQ's brute-force
one. Frames are decoded with PyAV (FFmpeg bundled, no system ffmpeg) and hashed as stored,
without applying any rotation the container asks players to show, as vPDQ does.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from dontpay.domain.evidence.limits import describe_size

from .pdq import (
    PDQ_MATCH_DISTANCE,
    InvalidMedia,
    InvalidSignal,
    parse_pdq,
    pdq_hash_pixels,
)

#: vPDQ's defaults: frames under this quality are not compared, nor counted.
VPDQ_QUALITY_THRESHOLD = 50
#: Timestamps are written with three decimals, as the vPDQ tools write them.
_TIMESTAMP_DECIMALS = 3
#: Slack when comparing frame times, so a frame at 2.9999999 s counts as the one at 3 s.
_TIME_SLACK = 1e-6
_ISO_BOX_TYPES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1")
_HEAD_BYTES = 512
_MPEG_TS_PACKET = 188
#: Query frames compared at once: bounds memory to this many times the bank video's hashes.
_ROWS_PER_BLOCK = 64


class VideoTooLarge(InvalidMedia):
    """A video longer, larger or with bigger frames than we are willing to decode."""


@dataclass(frozen=True)
class VideoLimits:
    """How much video we decode: checked from the header, then again frame by frame."""

    max_file_bytes: int = 4 * 1024**3
    max_seconds: float = 3 * 60 * 60
    max_side: int = 8192
    max_pixels: int = 8192 * 4320
    max_frames: int = 3 * 60 * 60 * 120


@dataclass(frozen=True)
class VpdqFeature:
    """One sampled frame: its PDQ hash and quality, its number among decoded frames, its time."""

    quality: int
    frame_number: int
    hash: str
    timestamp: float


@dataclass(frozen=True)
class VideoMatch:
    """How much of each video was found in the other, as shares from 0 to 1."""

    query_share: float
    bank_share: float
    matched: bool


def looks_like_video(head: bytes) -> bool:
    """Whether the first bytes of a file start like a video container we decode."""
    return _container_format(head) is not None


def vpdq_hash_video(
    path: str | PathLike[str],
    seconds_per_frame: float = 1.0,
    *,
    limits: VideoLimits = VideoLimits(),
) -> list[VpdqFeature]:
    """The vPDQ features of a video file: the first frame, then one each `seconds_per_frame`.

    Frames are picked by presentation time, so a video with a variable frame rate is sampled
    evenly too. `frame_number` counts every decoded frame from 0, as vPDQ numbers them.
    """
    if seconds_per_frame <= 0:
        raise ValueError("seconds_per_frame must be positive")
    file = Path(path)
    if file.stat().st_size > limits.max_file_bytes:
        raise VideoTooLarge(f"video is larger than {describe_size(limits.max_file_bytes)}")
    with file.open("rb") as stream:
        container_format = _container_format(stream.read(_HEAD_BYTES))
    if container_format is None:
        raise InvalidMedia("not a video we can hash (MP4/MOV, WebM/MKV, AVI, MPEG, FLV, GIF, …)")
    try:
        features = list(_sample(file, container_format, seconds_per_frame, limits))
    except av.FFmpegError as problem:
        raise InvalidMedia("video is damaged or in a form we cannot decode") from problem
    if not features:
        raise InvalidMedia("video has no frames we could decode")
    return features


def features_to_lines(features: Iterable[VpdqFeature]) -> list[str]:
    """The vPDQ text form: ``frame_number,quality,hash,timestamp`` per feature."""
    return [
        f"{feature.frame_number},{feature.quality},{feature.hash},"
        f"{feature.timestamp:.{_TIMESTAMP_DECIMALS}f}"
        for feature in features
    ]


def features_from_lines(lines: Iterable[str]) -> list[VpdqFeature]:
    """Features from their vPDQ text form; blank lines are skipped, anything else must parse."""
    features = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            features.append(_parse_feature(line, number))
    if not features:
        raise InvalidSignal("vPDQ hash has no features; expected frame_number,quality,hash,time")
    return features


def match_video(
    query: list[VpdqFeature],
    bank: list[VpdqFeature],
    *,
    distance: int = PDQ_MATCH_DISTANCE,
    quality: int = VPDQ_QUALITY_THRESHOLD,
    query_share: float = 0.8,
    bank_share: float = 0.8,
) -> VideoMatch:
    """Whether two videos match by vPDQ's rule, and how well.

    Each side keeps its distinct frame hashes of at least `quality`; a frame matches when some
    frame of the other side is within `distance` bits. The videos match when at least
    `query_share` of the query's frames and `bank_share` of the bank video's frames match.
    A side with no frame good enough to compare matches nothing.
    """
    query_hashes = _comparable_hashes(query, quality)
    bank_hashes = _comparable_hashes(bank, quality)
    if not len(query_hashes) or not len(bank_hashes):
        return VideoMatch(0.0, 0.0, matched=False)
    query_found = np.zeros(len(query_hashes), dtype=bool)
    bank_found = np.zeros(len(bank_hashes), dtype=bool)
    for start in range(0, len(query_hashes), _ROWS_PER_BLOCK):
        block = query_hashes[start : start + _ROWS_PER_BLOCK]
        close = _distances(block, bank_hashes) <= distance
        query_found[start : start + len(block)] = close.any(axis=1)
        bank_found |= close.any(axis=0)
    found_query, found_bank = float(query_found.mean()), float(bank_found.mean())
    return VideoMatch(
        found_query,
        found_bank,
        matched=found_query >= query_share and found_bank >= bank_share,
    )


def _sample(
    file: Path, container_format: str, seconds_per_frame: float, limits: VideoLimits
) -> Iterator[VpdqFeature]:
    with av.open(str(file), format=container_format) as container:
        if not container.streams.video:
            raise InvalidMedia("file has no video stream")
        stream = container.streams.video[0]
        _check_header(container.duration, stream.width, stream.height, limits)
        stream.thread_type = "AUTO"
        rate = float(stream.average_rate or stream.guessed_rate or 0)
        first_time: float | None = None
        next_time = 0.0
        for frame_number, frame in enumerate(container.decode(stream)):
            if frame_number >= limits.max_frames:
                raise VideoTooLarge(f"video has more than {limits.max_frames:,} frames")
            _check_frame_size(frame.width, frame.height, limits)
            if frame.time is not None:
                first_time = frame.time if first_time is None else first_time
                time = max(frame.time - first_time, 0.0)
            else:
                time = frame_number / rate if rate else frame_number * seconds_per_frame
            if time > limits.max_seconds:
                raise VideoTooLarge(f"video is longer than {limits.max_seconds:,.0f} seconds")
            if time + _TIME_SLACK < next_time:
                continue
            next_time = (math.floor(time / seconds_per_frame + _TIME_SLACK) + 1) * seconds_per_frame
            frame_hash = pdq_hash_pixels(np.asarray(frame.to_ndarray(format="rgb24"), np.uint8))
            yield VpdqFeature(
                frame_hash.quality,
                frame_number,
                frame_hash.hex,
                round(time, _TIMESTAMP_DECIMALS),
            )


def _check_header(duration: int | None, width: int, height: int, limits: VideoLimits) -> None:
    if duration is not None and duration / av.time_base > limits.max_seconds:
        raise VideoTooLarge(f"video is longer than {limits.max_seconds:,.0f} seconds")
    _check_frame_size(width, height, limits)


def _check_frame_size(width: int, height: int, limits: VideoLimits) -> None:
    if max(width, height) > limits.max_side or width * height > limits.max_pixels:
        raise VideoTooLarge(f"video frames of {width}x{height} are larger than we decode")


def _container_format(head: bytes) -> str | None:
    """FFmpeg's demuxer for the container the bytes start, named so FFmpeg guesses nothing."""
    if head[4:8] in _ISO_BOX_TYPES and not (head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS):
        return "mov"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"FLV\x01"):
        return "flv"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):
        return "asf"
    if head.startswith(b"\x00\x00\x01\xba"):
        return "mpeg"
    if len(head) > _MPEG_TS_PACKET and head[0] == head[_MPEG_TS_PACKET] == 0x47:
        return "mpegts"
    return None


def _parse_feature(line: str, number: int) -> VpdqFeature:
    fields = line.strip().split(",")
    if len(fields) != 4:
        raise InvalidSignal(
            f"vPDQ line {number} has {len(fields)} fields; expected frame_number,quality,hash,time"
        )
    frame_text, quality_text, hash_text, time_text = fields
    try:
        frame_number, quality, timestamp = int(frame_text), int(quality_text), float(time_text)
    except ValueError:
        raise InvalidSignal(
            f"vPDQ line {number}: frame number and quality must be whole numbers, time a number"
        ) from None
    if frame_number < 0 or not 0 <= quality <= 100 or not math.isfinite(timestamp) or timestamp < 0:
        raise InvalidSignal(
            f"vPDQ line {number}: frame number and time must not be negative, quality 0-100"
        )
    try:
        pdq_hex = parse_pdq(hash_text)
    except InvalidSignal as problem:
        raise InvalidSignal(f"vPDQ line {number}: {problem}") from None
    return VpdqFeature(quality, frame_number, pdq_hex, timestamp)


def _comparable_hashes(features: list[VpdqFeature], quality: int) -> npt.NDArray[np.uint64]:
    """Distinct hashes (the first of each kept, as vPDQ does) of at least `quality`.

    Each hash is four 64-bit words, so comparing two takes four XORs and popcounts.
    """
    first_of_each: dict[str, VpdqFeature] = {}
    for feature in features:
        first_of_each.setdefault(feature.hash, feature)
    kept = [value for value, feature in first_of_each.items() if feature.quality >= quality]
    return np.frombuffer(bytes.fromhex("".join(kept)), dtype=np.uint64).reshape(-1, 4)


def _distances(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Bit distances between every row of `a` and every row of `b`."""
    differing = np.bitwise_xor(a[:, np.newaxis, :], b[np.newaxis, :, :])
    return np.bitwise_count(differing).sum(axis=2, dtype=np.int64)
