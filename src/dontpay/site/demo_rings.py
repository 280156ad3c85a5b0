"""Four invented sextortion rings for the demo: 40 reports, each sent by its author and
consenting to linking, that share wallets, handles, phone numbers and profile photos written in
different ways, so an analyst's first look shows clusters and their network.

Everything here is made up and made to be harmless if it ever leaked: wallet addresses come from
private keys derived from a fixed seed (so nobody holds them), phone numbers are from the
555-0100 to 555-0199 block that the North American Numbering Plan keeps for fiction, and
handles are invented. None of these values is on the warninglist.
"""

import hashlib
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from bip_utils import EthAddrEncoder, P2WPKHAddrEncoder, Secp256k1PrivateKey
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from dontpay.cases.evidence import add_evidence
from dontpay.cases.models import Report
from dontpay.cases.reports import NewReport, add_item, create_report, save_section
from dontpay.cases.sharing import consent_to_linking, send_report
from dontpay.cases.vault import holding_owner_key
from dontpay.domain.reports import SECTIONS, section
from dontpay.intel.profile_photos import mark_profile_photo

REPORTS_PER_RING = 10
SEED = "dontpay demo rings"


@dataclass(frozen=True)
class Ring:
    """One invented group: the accounts, numbers and wallets it reuses across its victims."""

    name: str
    platform: str
    handles: tuple[str, ...]
    phones: tuple[str, ...]  # written three ways each, as different people type them
    wallet_kind: str  # "btc" or "eth"
    amount: str
    currency: str
    script: str


RINGS = (
    Ring(
        "lena",
        "instagram",
        ("lena.x93", "lenaa_x93"),
        ("+1 202-555-0143",),
        "btc",
        "500",
        "GBP",
        "I recorded everything. Pay {amount} to this wallet in 2 hours or your followers see it.",
    ),
    Ring(
        "marco",
        "snapchat",
        ("marco.vids", "marco_vids2"),
        ("+1 312-555-0178", "+1 312-555-0179"),
        "btc",
        "300",
        "USD",
        "Send {amount} now or I post the video to your family group. Do not block me.",
    ),
    Ring(
        "sofia",
        "telegram",
        ("sofia_cam_love",),
        ("+1 415-555-0199",),
        "eth",
        "800",
        "EUR",
        "Your video is ready to upload. {amount} in ETH and I delete it, I promise.",
    ),
    Ring(
        "jay",
        "tiktok",
        ("jay.x.official", "jayx.official"),
        ("+1 646-555-0112",),
        "btc",
        "250",
        "GBP",
        "Pay {amount} or everyone at your school gets this tonight.",
    ),
)


def demo_rings() -> int:
    """Create the rings' reports; how many were made."""
    made = 0
    photos = [_profile_photo(ring) for ring in RINGS]
    for number, ring in enumerate(RINGS):
        wallets = [_wallet(ring, n) for n in range(2)]
        for member in range(REPORTS_PER_RING):
            created = create_report("GB" if member % 3 else "US", under_18=member % 4 == 0)
            # One victim of the last ring met the first ring's stolen photo: a possible link
            # between two clusters, for the analyst to judge (photos are never merged).
            crossed = number == len(RINGS) - 1 and member == REPORTS_PER_RING - 2
            fill = _record_filler(ring, member, wallets, photos[0 if crossed else number])
            sent_with_consent(created, fill)
            # Spread the reports over the last months, ring by ring, as real reports arrive.
            days = 7 * (number + 1) + 3 * member
            Report.objects.filter(pk=created.report.pk).update(
                created_at=timezone.now() - timedelta(days=days)
            )
            made += 1
    return made


def _record_filler(
    ring: Ring, member: int, wallets: list[str], photo: Callable[[int], bytes]
) -> Callable[[Report], None]:
    """What one victim of `ring` wrote: each mentions some of the ring's values, so every
    report shares at least one with the one before it, spelled as that person spelled it."""
    handle = ring.handles[member % len(ring.handles)]
    phone = ring.phones[(member // 2) % len(ring.phones)]
    wallet = wallets[(member // 3) % len(wallets)]

    def fill(report: Report) -> None:
        started = (timezone.now() - timedelta(days=2 + member)).date().isoformat()
        save_section(report, section("when"), {"started_on": started})
        account = {"platform": ring.platform, "username": _spelled_handle(handle, member)}
        if member % 2:
            account["profile_url"] = f"https://www.{ring.platform}.com/{handle}/"
        add_item(report, section("who"), account)
        save_section(
            report, section("contact-details"), {"phone_numbers": _spelled_phone(phone, member)}
        )
        add_item(
            report,
            section("demands"),
            {"amount": ring.amount, "currency": ring.currency, "method": "crypto"},
        )
        if member % 3 != 1:
            add_item(
                report,
                section("payment-details"),
                {"kind": "crypto-wallet", "value": wallet if member % 2 else wallet.upper()},
            )
        if member % 5 == 2:
            add_item(
                report, section("payments"), {"amount": ring.amount, "currency": ring.currency}
            )
        text = ring.script.format(amount=f"{ring.amount} {ring.currency}")
        save_section(report, section("messages"), {"text": f"{text} Text me on {phone}."})
        if member % 2 == 0:
            shot = add_evidence(report, "profile.png", photo(member))
            mark_profile_photo(shot)

    return fill


def sent_with_consent(created: NewReport, fill: Callable[[Report], None]) -> None:
    """As its author would: fill the record, send every section and file, agree to linking."""
    with holding_owner_key(created.report.pk, created.key):
        report = created.report
        fill(report)
        send_report(
            report, {s.slug for s in SECTIONS}, report.evidence.values_list("pk", flat=True)
        )
        consent_to_linking(report)


def _spelled_handle(handle: str, member: int) -> str:
    return (f"@{handle}", handle.upper(), handle, f" @{handle} ")[member % 4]


def _spelled_phone(phone: str, member: int) -> str:
    digits = phone.replace("+1 ", "").replace("-", "")
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    return (f"+1 {area}-{exchange}-{line}", f"({area}) {exchange}-{line}", f"001 {digits}")[
        member % 3
    ]


def _wallet(ring: Ring, number: int) -> str:
    """A valid address nobody holds the key of: its private key is a hash of public text."""
    seed = hashlib.sha256(f"{SEED}:{ring.name}:{number}".encode()).digest()
    key = Secp256k1PrivateKey.FromBytes(seed).PublicKey()
    if ring.wallet_kind == "eth":
        return str(EthAddrEncoder.EncodeKey(key.RawUncompressed().ToBytes()))
    return str(P2WPKHAddrEncoder.EncodeKey(key.RawCompressed().ToBytes(), hrp="bc", wit_ver=0))


def _profile_photo(ring: Ring) -> Callable[[int], bytes]:
    """The ring's stolen profile picture, and copies of it each victim screenshotted a little
    differently (cropped, resized, brighter), so their PDQ hashes are near, not equal."""
    pick = random.Random(f"{SEED}:{ring.name}")  # noqa: S311 - a picture, not a secret
    base = Image.new("RGB", (320, 320), tuple(pick.randrange(40, 215) for _ in range(3)))
    draw = ImageDraw.Draw(base)
    for _ in range(14):
        x, y = pick.randrange(0, 280), pick.randrange(0, 280)
        size = pick.randrange(30, 120)
        colour = tuple(pick.randrange(0, 255) for _ in range(3))
        draw.ellipse((x, y, x + size, y + size), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(2))

    def copy(member: int) -> bytes:
        crop = member % 5
        image = base.crop((crop, crop, 320 - crop, 320 - crop)).resize((300 + member * 4,) * 2)
        image = image.point(lambda value: min(255, value + member))
        out = io.BytesIO()
        image.save(out, "PNG")
        return out.getvalue()

    return copy


def ring_values() -> Iterator[str]:
    """Every value the rings link on, for tests that check none is warninglisted."""
    for ring in RINGS:
        yield from ring.handles
        yield from ring.phones
        yield from (_wallet(ring, n) for n in range(2))
