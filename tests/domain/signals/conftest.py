"""Reference images read in place, and small videos made at test time with PyAV itself."""

from collections.abc import Iterable, Iterator
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from ...testdata import PDQ_REFERENCE

#: The PDQ reference images beside the repository (see its README.md).

Frame = npt.NDArray[np.uint8]


def reference_image(name: str) -> Path:
    return PDQ_REFERENCE / name


def video_frames(seed: int, *, size: int = 64, seconds: int = 6, fps: int = 10) -> Iterator[Frame]:
    """A camera panning across a random scene with natural-image statistics (1/f spectrum).

    Such scenes have detail at every scale, as photographs do, so their PDQ hashes are stable
    under resizing and re-encoding; smooth synthetic patterns are not.
    """
    rng = np.random.default_rng(seed)
    side = size * 4
    frequency = np.hypot(np.fft.fftfreq(side)[:, None], np.fft.fftfreq(side)[None, :])
    amplitude = 1 / np.maximum(frequency, 1 / side)
    channels = []
    for _ in range(3):
        scene = np.fft.ifft2(amplitude * np.exp(2j * np.pi * rng.random((side, side)))).real
        channels.append((scene - scene.mean()) / scene.std())
    world = (np.stack(channels, axis=2) * 50 + 128).clip(0, 255).astype(np.uint8)
    for index in range(seconds * fps):
        offset = 2 * index
        yield np.ascontiguousarray(world[offset : offset + size, offset : offset + size])


def write_video(
    path: Path,
    frames: Iterable[Frame],
    *,
    size: int = 64,
    fps: int = 10,
    codec: str = "libx264",
    container_format: str | None = None,
) -> Path:
    """Encode RGB frames (resized to `size` if they differ) into the container `path` names."""
    with av.open(str(path), "w", format=container_format) as output:
        stream = output.add_stream(codec, rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = "yuv420p"
        for pixels in frames:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            if frame.width != size:
                frame = frame.reformat(width=size, height=size)
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
    return path


def decoded_frames(path: Path) -> list[Frame]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
