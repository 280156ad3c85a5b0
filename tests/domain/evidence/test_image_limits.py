"""Pixel floods and decompression bombs are refused from the header, before decoding."""

import resource
import warnings

import pytest
from PIL import Image

from dontpay.domain.evidence import EvidenceLimits, ImageTooLarge, check_evidence

from .samples import greyscale_png

#: Loose enough that only Pillow's own MAX_IMAGE_PIXELS (about 89 million) stands in the way.
LOOSE = EvidenceLimits(max_pixels=10**9, max_side=100_000)


def peak_memory_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def test_hand_made_png_helper_makes_a_real_png() -> None:
    assert check_evidence(greyscale_png(30, 20)).width == 30


def test_50000_by_50000_png_is_refused_without_allocating_its_pixels() -> None:
    before = peak_memory_kib()
    for rows in (0, 1):  # header alone, and header with one row of a tiny IDAT
        data = greyscale_png(50_000, 50_000, rows=rows)
        assert len(data) < 1000
        with pytest.raises(ImageTooLarge):
            check_evidence(data)
    assert peak_memory_kib() - before < 100 * 1024  # 2.5 GB would have been allocated


def test_too_many_pixels_for_our_limit_is_refused_before_decoding() -> None:
    data = greyscale_png(7000, 7000, rows=0)  # 49 million: over our 40, under Pillow's 89
    with pytest.raises(ImageTooLarge) as refused:
        check_evidence(data)
    assert refused.value.reason == (
        "This image has more than 40,000,000 pixels, which is more than we can safely open."
    )


def test_too_wide_is_refused_even_with_few_pixels() -> None:
    with pytest.raises(ImageTooLarge, match="wider or taller than 16,384 pixels"):
        check_evidence(greyscale_png(20_000, 1))


def test_small_file_that_decodes_to_many_pixels_depends_on_the_limit() -> None:
    bomb = greyscale_png(5000, 5000)  # 25 million pixels in a few tens of KB
    assert len(bomb) < 100_000
    assert check_evidence(bomb).width == 5000
    with pytest.raises(ImageTooLarge):
        check_evidence(bomb, limits=EvidenceLimits(max_pixels=1_000_000))


def test_pillow_bomb_warning_is_refused_even_when_our_limits_allow_it() -> None:
    data = greyscale_png(10_000, 10_000, rows=0)  # 100 million: Pillow warns, does not raise
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ImageTooLarge):
        check_evidence(data, limits=LOOSE)


def test_pillow_bomb_warning_raised_as_error_is_refused_too() -> None:
    data = greyscale_png(10_000, 10_000, rows=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with pytest.raises(ImageTooLarge) as refused:
            check_evidence(data, limits=LOOSE)
    assert isinstance(refused.value.__cause__, Image.DecompressionBombWarning)


def test_pillow_bomb_error_is_refused() -> None:
    data = greyscale_png(20_000, 20_000, rows=0)  # 400 million: Pillow raises
    with pytest.raises(ImageTooLarge) as refused:
        check_evidence(data, limits=LOOSE)
    assert isinstance(refused.value.__cause__, Image.DecompressionBombError)
