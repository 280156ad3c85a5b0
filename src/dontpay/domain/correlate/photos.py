"""Profile photos that look the same: PDQ hashes within a Hamming distance.

Offenders reuse the same stolen photo across fake profiles; a resized or recompressed copy has
a PDQ hash a few bits away. 31 bits of 256 is the threshold platforms exchange PDQ matches at.
"""

import numpy as np
import numpy.typing as npt

SAME_PHOTO_DISTANCE = 31


def pdq_bits(hashes: list[str]) -> npt.NDArray[np.uint64]:
    """PDQ hashes (64 hex digits each) as rows of four 64-bit words."""
    if not hashes:
        return np.empty((0, 4), dtype=np.uint64)
    raw = bytes.fromhex("".join(hashes))
    return np.frombuffer(raw, dtype=">u8").astype(np.uint64).reshape(len(hashes), 4)


def pdq_distances(query: str, hashes: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """The Hamming distance from `query` to each row of `hashes` (from `pdq_bits`)."""
    differences = np.bitwise_xor(hashes, pdq_bits([query]))
    distances: npt.NDArray[np.int64] = np.bitwise_count(differences).sum(axis=1, dtype=np.int64)
    return distances
