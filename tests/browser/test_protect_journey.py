"""Stop the spread in chromium: fingerprints are made on the device, and no request carries
the image or any bytes of it; the bank then matches the same image hashed on the server."""

import base64
import random
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, Request

from dontpay.bank.index import bank_index
from dontpay.domain.signals.pdq import pdq_hash_file

from ..testdata import PDQ_REFERENCE as REFERENCE

IMAGES = [REFERENCE / "bridge-mods--aaa-orig.jpg", REFERENCE / "pen-and-coaster.png"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _samples(data: bytes, count: int = 64, size: int = 24) -> list[bytes]:
    """Slices from across the file: any request holding a piece of it holds one of these."""
    rng = random.Random(len(data))
    return [
        data[start : start + size]
        for start in (rng.randrange(0, len(data) - size) for _ in range(count))
    ]


def test_only_fingerprints_leave_the_device(page: Page) -> None:
    sent: list[tuple[str, bytes]] = []

    def remember(request: Request) -> None:
        sent.append((request.url, request.post_data_buffer or b""))

    page.on("request", remember)
    page.goto("/protect/")
    page.get_by_label("Yes, I was 18 or over in all of them").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.locator("#protect-picker").wait_for()
    page.set_input_files("#files", [str(path) for path in IMAGES])
    page.get_by_text("Fingerprints ready: 2.").wait_for()
    page.screenshot(path="/tmp/shots/protect-ready.png", full_page=True)
    page.get_by_role("button", name="Send fingerprints", exact=True).click()
    case_number = page.get_by_test_id("case-number").inner_text()
    assert case_number
    page.screenshot(path="/tmp/shots/protect-done.png", full_page=True)

    origin = page.url.split("/protect/")[0]
    assert all(url.startswith(origin) for url, _ in sent), "a request left the origin"
    bodies = [body for _, body in sent if body]
    assert bodies, "the fingerprints were posted"
    for path in IMAGES:
        data = path.read_bytes()
        for piece in _samples(data):
            encoded = [piece, base64.b64encode(piece)[8:24], piece.hex().encode()]
            assert not any(e in body for e in encoded for body in bodies), path.name
        assert all(len(body) < len(data) // 4 for body in bodies)

    # The bank matches what the server computes from the same files.
    index = bank_index()
    index.catch_up()
    for path in IMAGES:
        matches = index.match_images([pdq_hash_file(path).hex])[0]
        assert matches, path.name
        assert min(distance for _, distance in matches) <= 8, path.name


def test_without_a_chosen_file_nothing_can_be_sent(page: Page) -> None:
    page.goto("/protect/")
    page.get_by_label("Yes, I was 18 or over in all of them").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.locator("#protect-picker").wait_for()
    assert not page.locator("#protect-needs-js").is_visible()
    assert not page.locator("#protect-form").is_visible()


@pytest.mark.parametrize("page", [390, 1280], indirect=True)
def test_each_file_says_in_words_whether_it_is_sent_and_videos_show_their_frames(
    page: Page, tmp_path: Path
) -> None:
    from PIL import Image

    from .test_pdq_js import make_video

    plain = tmp_path / "plain.png"
    Image.new("RGB", (200, 200), (40, 40, 40)).save(plain)
    stills = [
        np.asarray(Image.open(path).convert("RGB").resize((320, 240)))
        for path in [*IMAGES, REFERENCE / "labelme-subset--q0122.jpg"]
    ]
    video = tmp_path / "three-seconds.webm"
    make_video(video, stills)

    page.goto("/protect/")
    page.get_by_label("Yes, I was 18 or over in all of them").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    page.locator("#protect-picker").wait_for()
    page.evaluate(
        """() => {
            window.progressSeen = [];
            const progress = document.getElementById("protect-progress");
            new MutationObserver(() => window.progressSeen.push(progress.textContent))
                .observe(progress, {childList: true, characterData: true, subtree: true});
        }"""
    )
    page.set_input_files("#files", [str(IMAGES[0]), str(plain), str(video)])
    # The browser decodes and hashes a video's frames on the CPU: on a busy two-core machine
    # that has taken over 30 s. The test is about what each row says, not how fast.
    page.get_by_text("Fingerprints ready: 2.").wait_for(timeout=120_000)
    page.screenshot(path=str(tmp_path / f"protect-{page.viewport_size}.png"), full_page=True)

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    rows = page.locator("#protect-rows tr")
    assert rows.count() == 3
    cells = [
        [
            td.evaluate("td => td.lastChild ? td.innerText.trim() : ''")
            for td in row.locator("td").all()
        ]
        for row in (rows.nth(i) for i in range(3))
    ]
    assert cells[0][2] == "Ready to send"
    assert cells[1][1] == "\N{EN DASH}"
    assert cells[1][2].startswith("Not sent\n")
    assert "too little detail" in cells[1][2]
    assert cells[2][1] == "Video frames: 3"
    assert "Detail" not in page.locator(".dp-fingerprints thead").inner_text()
    assert page.locator(".dp-hash", has_text="Not sent").count() == 0
    reason = rows.nth(1).locator("td").nth(2)
    assert reason.evaluate("cell => getComputedStyle(cell).wordBreak") == "normal"
    # No word of the reason is split across two lines.
    split_words = reason.evaluate(
        """cell => {
            const text = [...cell.childNodes].find(n => n.nodeType === Node.TEXT_NODE);
            const split = [];
            for (const match of text.textContent.matchAll(/\\S+/g)) {
                const range = document.createRange();
                range.setStart(text, match.index);
                range.setEnd(text, match.index + match[0].length);
                if (range.getClientRects().length > 1) split.push(match[0]);
            }
            return split;
        }"""
    )
    assert split_words == []
    seen = page.evaluate("window.progressSeen")
    assert any("frame 1 of 3 of this video" in text for text in seen), seen
    assert any("frame 3 of 3 of this video" in text for text in seen), seen
