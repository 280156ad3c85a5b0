"""Near-duplicate scripts (MinHash + LSH bands) and look-alike profile photos (PDQ)."""

import random

from dontpay.domain.correlate import (
    NEAR_DUPLICATE,
    SAME_PHOTO_DISTANCE,
    band_buckets,
    minhash,
    pdq_bits,
    pdq_distances,
    similarity,
)
from dontpay.domain.correlate.scripts import from_bytes, to_bytes

KEY = b"k" * 32
SCRIPT = (
    "Hi dear I have recorded you and I have all your followers and family. If you do not pay "
    "500 pounds to this account in the next hour I will send the video to everyone you know, "
    "your school and your parents will see it. Do not block me or report me or it goes out "
    "right now. Send the money and I delete everything, I promise you that."
)


def test_an_edited_copy_of_a_script_is_a_near_duplicate() -> None:
    edited = SCRIPT.replace("500 pounds", "300 dollars").replace("hour", "30 minutes")
    first, second = minhash(SCRIPT, KEY), minhash(edited, KEY)
    assert first is not None
    assert second is not None
    assert similarity(first, second) >= NEAR_DUPLICATE
    shared = set(enumerate(band_buckets(first))) & set(enumerate(band_buckets(second)))
    assert shared, "near-duplicates must share a band bucket to be found by look-up"


def test_unrelated_messages_are_not_near_duplicates() -> None:
    words = SCRIPT.split()
    unrelated = " ".join(random.Random(1).sample(words, len(words)))
    first, second = minhash(SCRIPT, KEY), minhash(unrelated, KEY)
    assert first is not None
    assert second is not None
    assert similarity(first, second) < 0.3
    assert not set(enumerate(band_buckets(first))) & set(enumerate(band_buckets(second)))


def test_signatures_depend_on_the_key_and_survive_storage() -> None:
    signature = minhash(SCRIPT, KEY)
    assert signature is not None
    assert (from_bytes(to_bytes(signature)) == signature).all()
    other = minhash(SCRIPT, b"x" * 32)
    assert other is not None
    assert similarity(signature, other) < 0.1


def test_a_text_without_words_has_no_signature() -> None:
    assert minhash("  ?! ", KEY) is None


def test_pdq_distance_counts_differing_bits() -> None:
    base = "f" * 64
    near = "0" * 7 + "f" * 57  # 28 bits differ
    far = "0" * 64
    distances = pdq_distances(base, pdq_bits([base, near, far]))
    assert distances.tolist() == [0, 28, 256]
    assert distances[1] <= SAME_PHOTO_DISTANCE < distances[2]
