"""Near-duplicate scripts: MinHash signatures over word shingles, and LSH bands to find them.

Sextortion gangs paste the same script to every victim with small edits. Two pasted messages
are near-duplicates when the Jaccard similarity of their sets of word shingles is high; MinHash
estimates it from short signatures, and locality-sensitive hashing turns "find the similar
ones" into an index lookup: two signatures that agree on every row of any one band share that
band's bucket. With 32 bands of 4 rows, texts at Jaccard 0.6 share a bucket 99% of the time,
and texts below 0.3 rarely do.

Shingles are hashed with a key, so a stored signature cannot be tested against guessed phrases
by anyone without the key.
"""

import hashlib
import re

import numpy as np
import numpy.typing as npt

PERMUTATIONS = 128
BANDS = 32
ROWS_PER_BAND = PERMUTATIONS // BANDS
SHINGLE_WORDS = 3
#: Scripts whose estimated Jaccard similarity is at least this are near-duplicates.
NEAR_DUPLICATE = 0.6

_PRIME = np.uint64((1 << 61) - 1)
_WORD = re.compile(r"\w+")

Signature = npt.NDArray[np.uint64]


def shingles(text: str, words: int = SHINGLE_WORDS) -> set[str]:
    """The text's overlapping runs of `words` words, lower-cased, punctuation ignored."""
    tokens = _WORD.findall(text.lower())
    if len(tokens) < words:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + words]) for i in range(len(tokens) - words + 1)}


def minhash(text: str, key: bytes) -> Signature | None:
    """The text's MinHash signature (`PERMUTATIONS` values), or None if it has no words."""
    found = shingles(text)
    if not found:
        return None
    hashed = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4, key=key).digest())
            for s in found
        ),
        dtype=np.uint64,
        count=len(found),
    )
    multipliers, increments = _permutations(key)
    # a·x + b with a, x < 2³² and b < 2⁶¹ stays below 2⁶⁴: no overflow before the modulus.
    values = (multipliers[:, None] * hashed[None, :] + increments[:, None]) % _PRIME
    signature: Signature = values.min(axis=1)
    return signature


def _permutations(key: bytes) -> tuple[Signature, Signature]:
    seed = int.from_bytes(hashlib.blake2b(b"minhash", digest_size=8, key=key).digest())
    generator = np.random.default_rng(seed)
    multipliers = generator.integers(1, 1 << 32, PERMUTATIONS, dtype=np.uint64)
    increments = generator.integers(0, int(_PRIME), PERMUTATIONS, dtype=np.uint64)
    return multipliers, increments


def band_buckets(signature: Signature) -> list[int]:
    """One bucket per band: a signed 64-bit hash of the band's rows (fits a database bigint)."""
    rows = signature.reshape(BANDS, ROWS_PER_BAND)
    return [
        int.from_bytes(
            hashlib.blake2b(band.tobytes(), digest_size=8, person=number.to_bytes(2)).digest(),
            signed=True,
        )
        for number, band in enumerate(rows)
    ]


def similarity(first: Signature, second: Signature) -> float:
    """The estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(first == second))


def to_bytes(signature: Signature) -> bytes:
    """The signature as stored."""
    return signature.astype("<u8").tobytes()


def from_bytes(stored: bytes) -> Signature:
    """A stored signature."""
    return np.frombuffer(stored, dtype="<u8").astype(np.uint64)
