"""Turned and flipped copies: an upload's eight dihedral PDQ hashes, searched as one signal.

PDQ hashes an image's eight turns and flips from one downscale (`pdq_dihedral`), so a platform
gets them for little more than the cost of one hash. The bank keeps one hash per image; a copy
turned or mirrored is found because one of the upload's eight hashes is the hash of the upload
turned back. The answer names that transform, in the reference implementation's order and words.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: The reference order of `pdqhash.compute_dihedral` and of the PDQ test images (`dih--…`):
#: rotate-90 turns anticlockwise; flip-x mirrors top to bottom (about the horizontal axis),
#: flip-y left to right; flip-plus-1 mirrors about the main diagonal (a transpose), flip-minus-1
#: about the other one.
DIHEDRAL_TRANSFORMS = (
    "original",
    "rotate-90",
    "rotate-180",
    "rotate-270",
    "flip-x",
    "flip-y",
    "flip-plus-1",
    "flip-minus-1",
)
DIHEDRAL_COUNT = len(DIHEDRAL_TRANSFORMS)


@dataclass(frozen=True)
class PdqDihedral:
    """An image's eight dihedral PDQ hashes (64 hex digits each, in `DIHEDRAL_TRANSFORMS`
    order) and its quality, which is the same for all eight."""

    hashes: tuple[str, ...]
    quality: int


@dataclass(frozen=True)
class DihedralMatch:
    """A bank entry found for an upload: how near, and which of the upload's eight hashes
    came nearest (the upload, turned this way, is the banked picture)."""

    entry: int
    distance: int
    transform: str


def nearest_transform_per_entry(
    rows: npt.NDArray[np.int64],
    ids: npt.NDArray[np.int64],
    distances: npt.NDArray[np.int64],
    uploads: int,
) -> list[list[DihedralMatch]]:
    """Group the matches of `uploads` x 8 hashes (row = upload x 8 + transform) by upload.

    Each entry is reported once per upload, at its nearest transform (the first in reference
    order on a tie: a symmetric picture matches several), nearest first, then by entry.
    """
    results: list[list[DihedralMatch]] = [[] for _ in range(uploads)]
    if not len(rows):
        return results
    upload, transform = np.divmod(rows, DIHEDRAL_COUNT)
    order = np.lexsort((transform, distances, ids, upload))
    upload, ids, distances, transform = (a[order] for a in (upload, ids, distances, transform))
    first = np.ones(len(order), dtype=bool)
    first[1:] = (upload[1:] != upload[:-1]) | (ids[1:] != ids[:-1])
    upload, ids, distances, transform = (a[first] for a in (upload, ids, distances, transform))
    order = np.lexsort((ids, distances, upload))
    for number, entry, distance, turned in zip(
        upload[order].tolist(),
        ids[order].tolist(),
        distances[order].tolist(),
        transform[order].tolist(),
        strict=True,
    ):
        results[number].append(DihedralMatch(entry, distance, DIHEDRAL_TRANSFORMS[turned]))
    return results


def flatten_dihedral(uploads: Sequence[Sequence[str]]) -> list[str]:
    """The uploads' hashes in one list, eight an upload, as `nearest_transform_per_entry` reads
    their rows; `ValueError` if an upload does not have exactly eight."""
    for number, hashes in enumerate(uploads):
        if len(hashes) != DIHEDRAL_COUNT:
            raise ValueError(f"upload {number} has {len(hashes)} hashes, not {DIHEDRAL_COUNT}")
    return [value for hashes in uploads for value in hashes]
