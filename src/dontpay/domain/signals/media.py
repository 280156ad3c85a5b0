"""One way to hash a file: PDQ for an image, vPDQ features for a video, by its content."""

from pathlib import Path
from typing import Literal, overload

from dontpay.domain.evidence.images import looks_like_image

from .dihedral import PdqDihedral
from .pdq import InvalidMedia, PdqHash, pdq_dihedral_file, pdq_hash_file
from .vpdq import VpdqFeature, looks_like_video, vpdq_hash_video

#: Enough of a file's start to tell an image or video container by its signature.
_HEAD_BYTES = 512

Hashed = PdqHash | PdqDihedral | list[VpdqFeature]


@overload
def hash_media(
    path: str | Path, *, dihedral: Literal[False] = False
) -> PdqHash | list[VpdqFeature]: ...
@overload
def hash_media(path: str | Path, *, dihedral: bool) -> Hashed: ...
def hash_media(path: str | Path, *, dihedral: bool = False) -> Hashed:
    """PDQ for an image (its eight turns and flips with `dihedral`), vPDQ features for a video,
    told apart by the file's first bytes; `InvalidMedia` for anything else, `OSError` when the
    file cannot be read."""
    with open(path, "rb") as file:
        head = file.read(_HEAD_BYTES)
    if looks_like_image(head):
        return pdq_dihedral_file(path) if dihedral else pdq_hash_file(path)
    if looks_like_video(head):
        return vpdq_hash_video(path)
    raise InvalidMedia("not an image or video we can hash")
