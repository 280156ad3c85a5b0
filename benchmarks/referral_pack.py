"""Building a cluster's referral pack for police: what it costs, and whether a request may.

Question: can a web request thread build it? A web process has 8 of them, behind nginx's 60 s
`proxy_read_timeout` (deploy/nginx/dontpay.conf); the bar is about 5 s and 100 MB for a
200-report cluster. (It measured about a minute and 190 MB more, so the worker builds it.)

Clusters of 5, 50 and 200 reports (`--sizes`), on PostgreSQL (`--postgres`, a database the
benchmark may empty), each report made as its author makes it (`create_report`, sections saved
holding their key, two evidence files stored encrypted by the vault, sent whole with consent to
link): a few offender accounts, one of the ring's phone numbers and wallets spelled as people
type them, a demand, a payment now and then, their messages and the person's own account.
Each report shares the ring's handles, phone numbers and wallets with others, so each ring is
one cluster (checked).

Ours: `referral_pack` (what the view runs). Baseline, in the same run: the report pack of one
report of the same cluster, as a caseworker downloads it (`report_pack(..., sent_only=True)`):
the pack the web process already builds in a request, with the same PDF engine, custody chains
and signature, so the ratio says how many of those one referral costs. (A cluster's STIX export
is shown too, for scale: it has no PDF, so it says little about what a request can bear.) Each
runs `--runs` times, after one pack that loads the PDF engine, fonts and phone number data
(shown on its own); the median counts. Peak RSS increase is the process's high-water mark during
the build (reset before it through /proc/self/clear_refs) minus its resident size at the start.
Last, each pack is built once as staff now get it: by the worker's child process
(`build_in_child`: a fresh interpreter, the build, sealing and storing it in the vault), with
that child's peak RSS.

    uv run python benchmarks/referral_pack.py [--sizes 5,50,200] [--runs 3] [--postgres URL]
"""

import argparse
import cProfile
import gc
import hashlib
import io
import logging
import os
import platform
import pstats
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import django

POSTGRES = "postgres://postgres@127.0.0.1:5432/dontpay_bench"
TARGET_SECONDS, TARGET_MB = 5.0, 100
MB = 1024 * 1024


def _status_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    assert found, field
    return int(found[1])


def measured(work: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall seconds, median peak RSS increase in MB, and the last result."""
    seconds, peaks, result = [], [], None
    for _ in range(runs):
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")  # resets the high-water mark (VmHWM)
        before = _status_kib("VmRSS")
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
        peaks.append(max(0, _status_kib("VmHWM") - before) / 1024)
    return statistics.median(seconds), statistics.median(peaks), result


def setup(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DONTPAY_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "dontpay.site.settings"
    django.setup()
    from django.core.management import call_command

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def ring_wallets(ring: int) -> list[str]:
    """Valid bech32 addresses nobody holds the key of (keys are hashes of public text)."""
    from bip_utils import P2WPKHAddrEncoder, Secp256k1PrivateKey

    wallets = []
    for number in range(3):
        seed = hashlib.sha256(f"dontpay referral benchmark:{ring}:{number}".encode()).digest()
        key = Secp256k1PrivateKey.FromBytes(seed).PublicKey().RawCompressed().ToBytes()
        wallets.append(str(P2WPKHAddrEncoder.EncodeKey(key, hrp="bc", wit_ver=0)))
    return wallets


def chat_screenshot(lines: list[str], seed: int) -> bytes:
    """A phone-sized PNG screenshot of a chat: bubbles of text over a grainy wallpaper."""
    from PIL import Image, ImageDraw

    pick = random.Random(seed)  # noqa: S311 - a picture, not a secret
    noise = Image.frombytes("L", (540, 1170), pick.randbytes(540 * 1170)).convert("RGB")
    image = Image.blend(Image.new("RGB", noise.size, (236, 229, 221)), noise, 0.08)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        top = 80 + 110 * number
        draw.rounded_rectangle((24, top, 516, top + 80), 14, fill=(255, 255, 255))
        draw.text((40, top + 28), line[:70], fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def camera_photo(seed: int) -> bytes:
    """A JPEG photo's worth of detail (noise), as a person's picture of a screen would be."""
    from PIL import Image

    pick = random.Random(seed)  # noqa: S311 - a picture, not a secret
    image = Image.frombytes("RGB", (800, 600), pick.randbytes(800 * 600 * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed_cluster(ring: int, size: int) -> int:
    """`size` reports of ring number `ring` (its values shared with no other ring), sent whole
    with consent to link; the cluster's id."""
    from django.utils import timezone

    from dontpay.cases.evidence import add_evidence
    from dontpay.cases.reports import add_item, create_report, save_section
    from dontpay.cases.sharing import consent_to_linking, send_report
    from dontpay.cases.vault import holding_owner_key
    from dontpay.domain.reports import SECTIONS, section
    from dontpay.intel.models import ClusterMembership

    wallets = ring_wallets(ring)
    handles = [f"bench{ring}.ring", f"bench{ring}_ring2"]
    phones = [f"+1 202-555-01{2 * ring + n:02d}" for n in range(2)]  # the fiction block
    reports = []
    for member in range(size):
        created = create_report("GB" if member % 3 else "US", under_18=member % 4 == 0)
        report = created.report
        wallet, phone = wallets[member % 3], phones[member % 2]
        started = (timezone.now() - timedelta(days=2 + member % 60)).date().isoformat()
        script = (
            f"I have your video. Pay 500 GBP to {wallet} in 2 hours or your followers see it.",
            "Do not block me. I have all your friends list and your family group.",
            f"Text me on {phone}. This is your last chance, tick tock.",
        )
        with holding_owner_key(report.pk, created.key):
            save_section(report, section("when"), {"started_on": started})
            for handle in (handles[member % 2], f"bench{ring}.alt{member}"):
                account = {"platform": "instagram", "username": f"@{handle}"}
                account["profile_url"] = f"https://www.instagram.com/{handle}/"
                add_item(report, section("who"), account)
            save_section(report, section("contact-details"), {"phone_numbers": phone})
            add_item(
                report,
                section("demands"),
                {"amount": "500", "currency": "GBP", "method": "crypto"},
            )
            add_item(
                report,
                section("payment-details"),
                {"kind": "crypto-wallet", "value": wallets[0] if member % 2 else wallet},
            )
            if member % 5 == 2:
                add_item(report, section("payments"), {"amount": "200", "currency": "GBP"})
            save_section(report, section("messages"), {"text": "\n".join(script * 4)})
            save_section(
                report,
                section("your-account"),
                {"text": "We met on Instagram and talked for a week. " * 12},
            )
            add_evidence(report, "chat.png", chat_screenshot(list(script), member))
            add_evidence(report, "photo.jpg", camera_photo(member))
            send_report(
                report, {s.slug for s in SECTIONS}, report.evidence.values_list("pk", flat=True)
            )
            consent_to_linking(report)
        reports.append(report.pk)
    clusters = set(
        ClusterMembership.objects.filter(report__in=reports).values_list("cluster", flat=True)
    )
    assert len(clusters) == 1, "the ring did not link as one cluster"
    cluster: int = clusters.pop()
    assert ClusterMembership.objects.filter(cluster=cluster).count() == size
    return cluster


def measure(cluster_id: int, runs: int) -> dict[str, float]:
    from dontpay.cases.models import Report
    from dontpay.cases.pack import report_pack
    from dontpay.intel.clusters import explain_cluster
    from dontpay.intel.exports import cluster_indicators, stix_bundle
    from dontpay.intel.referral import referral_pack

    explanation = explain_cluster(cluster_id)
    one = Report.objects.get(pk=explanation.reports[0].id)

    def referral() -> bytes:
        return referral_pack(cluster_id, actor="staff:bench").data

    def baseline() -> bytes:
        return report_pack(one, actor="staff:bench", sent_only=True)

    def stix() -> str:
        cluster = explain_cluster(cluster_id)
        return stix_bundle(cluster, cluster_indicators(cluster))

    ours_s, ours_mb, pack = measured(referral, runs)
    worker_s, worker_mb = in_child(cluster_id)
    base_s, base_mb, _ = measured(baseline, runs)
    stix_s, stix_mb, _ = measured(stix, runs)
    assert isinstance(pack, bytes)
    return {
        "reports": len(explanation.reports),
        "ours_s": ours_s,
        "ours_mb": ours_mb,
        "base_s": base_s,
        "base_mb": base_mb,
        "stix_s": stix_s,
        "stix_mb": stix_mb,
        "pack_mb": len(pack) / MB,
        "worker_s": worker_s,
        "worker_mb": worker_mb,
    }


def in_child(cluster_id: int) -> tuple[float, float]:
    """Seconds to build, seal and store the pack in the worker's child process, and the peak
    RSS of the largest child so far (sizes run smallest first)."""
    from dontpay.intel.models import PreparedReferral
    from dontpay.intel.referral_process import build_in_child

    prepared = PreparedReferral.objects.create(cluster=cluster_id, requested_by="bench")
    started = time.perf_counter()
    build_in_child(prepared.pk)
    seconds = time.perf_counter() - started
    prepared.refresh_from_db()
    assert prepared.state == PreparedReferral.READY, prepared.problem
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def profile(cluster_id: int, lines: int) -> None:
    from dontpay.intel.referral import referral_pack

    profiler = cProfile.Profile()
    profiler.runcall(referral_pack, cluster_id, "staff:bench")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50,200")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=POSTGRES, help="a database the benchmark may empty")
    parser.add_argument(
        "--profile", type=int, metavar="LINES", help="also print cProfile of the largest pack"
    )
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    assert len(set(sizes)) == len(sizes) <= 50, "up to 50 different sizes"
    with tempfile.TemporaryDirectory(prefix="dontpay-bench-") as data_dir:
        setup(args.postgres, data_dir)
        run_benchmark(args, sizes)


def run_benchmark(args: argparse.Namespace, sizes: list[int]) -> None:
    started = time.perf_counter()
    clusters = {size: seed_cluster(ring, size) for ring, size in enumerate(sizes)}
    seeded = time.perf_counter() - started

    from dontpay.cases.models import EvidenceItem
    from dontpay.intel.referral import referral_pack

    # The first pack of a process loads WeasyPrint, its fonts and the phone number data.
    first_s, first_mb, _ = measured(lambda: referral_pack(clusters[min(sizes)], "staff:bench"), 1)
    results = {size: measure(cluster, args.runs) for size, cluster in clusters.items()}
    evidence = EvidenceItem.objects.count()
    stored = sum(EvidenceItem.objects.values_list("size", flat=True)) / evidence / 1024

    load = os.getloadavg()
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"PostgreSQL; load {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; median of {args.runs}"
    )
    print(
        f"{sum(sizes)} reports seeded in {seeded:.0f} s, {evidence} evidence files "
        f"(mean {stored:.0f} KiB, encrypted in the vault)"
    )
    print(
        "| reports | ours: referral pack (s) | peak RSS + (MB) | pack (MB) "
        "| baseline: one report's pack (s) | peak RSS + (MB) | ratio time | STIX export (s) "
        "| worker's child: ask to stored (s) | child peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in sizes:
        r = results[size]
        print(
            f"| {r['reports']} | {r['ours_s']:.2f} | {r['ours_mb']:.0f} | {r['pack_mb']:.2f} "
            f"| {r['base_s']:.2f} | {r['base_mb']:.0f} | {r['ours_s'] / r['base_s']:.1f} "
            f"| {r['stix_s']:.2f} | {r['worker_s']:.1f} | {r['worker_mb']:.0f} |"
        )
    compiled = " (bytecode is not written here: imports may compile)"
    print(
        f"first referral pack of the process ({min(sizes)} reports; loads WeasyPrint, fonts, "
        f"phone number data): {first_s:.2f} s, peak RSS + {first_mb:.0f} MB"
        f"{compiled if sys.dont_write_bytecode else ''}"
    )
    largest = results[max(sizes)]
    fits = largest["ours_s"] <= TARGET_SECONDS and largest["ours_mb"] <= TARGET_MB
    print(
        f"in a request thread (<= {TARGET_SECONDS:.0f} s and <= {TARGET_MB} MB at "
        f"{max(sizes)} reports): {largest['ours_s']:.1f} s, {largest['ours_mb']:.0f} MB "
        f"({'fits' if fits else 'does NOT fit'})"
    )
    if args.profile:
        profile(clusters[max(sizes)], args.profile)


if __name__ == "__main__":
    main()
