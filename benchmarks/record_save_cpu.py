"""The CPU a person's save costs the web process, on the largest record the limits allow.

Claim: no POST to a record section costs more than 1 s of CPU in the web process, however full
and hostile the record, because reading the whole record again for indicators happens on the
worker (sent records) or only for the source the section feeds (linked records not sent, which
only their owner's request can read).

The record: every repeatable section one item short of `MAX_ITEMS`, every field at its length
limit, all of it hostile text for the indicator finders (the fragments of
`benchmarks/indicators_hostile.py`), with consent to link. Each POST adds an item (then removes
it again) or saves a long-text section through Django's test client, in this process, with the
indexing that follows the commit. Each case runs `--runs` times; the median counts.

Baseline, measured in the same run: the same POSTs on the same sent record with the task backend
set to run tasks at once (Django's ImmediateBackend), which is where the whole-record rescan ran
before: in the request. The ratio is ours / baseline. The table also gives the CPU of the
whole-record rescan itself, which the worker now pays.

    uv run python benchmarks/record_save_cpu.py [--runs 3]
"""

import argparse
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Callable

import django

WORK = tempfile.mkdtemp(prefix="dontpay-bench-")
os.environ["DONTPAY_DATA_DIR"] = WORK
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from dontpay.cases.reports import create_report  # noqa: E402
from dontpay.cases.sharing import consent_to_linking, send_report  # noqa: E402
from dontpay.cases.vault import holding_owner_key  # noqa: E402
from dontpay.domain.reports import SECTIONS  # noqa: E402
from dontpay.domain.reports.record import MAX_ITEMS, MAX_LONG_TEXT, MAX_TEXT  # noqa: E402
from dontpay.intel.scanning import scan_saved_record  # noqa: E402

TARGET_SECONDS = 1.0
FRAGMENTS = ("$a ", "ig @a ", "a@b.co ", "http://a)", "07911 12345 ")
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def hostile(length: int, offset: int = 0) -> str:
    fragment = FRAGMENTS[offset % len(FRAGMENTS)]
    return (fragment * (length // len(fragment) + 1))[:length]


def item_values(slug: str, number: int) -> dict[str, str]:
    section = next(s for s in SECTIONS if s.slug == slug)
    values = {}
    for n, field in enumerate(section.fields):
        if field.kind == "choice":
            values[field.name] = field.choices[0][0]
        elif field.kind in ("text", "long-text"):
            values[field.name] = hostile(MAX_TEXT, number + n)
    return values


def long_values(slug: str, variant: int = 0) -> dict[str, str]:
    """Every field of a long-text section at its limit; another `variant` is other text, so
    saving it is a change (an unchanged save does nothing)."""
    section = next(s for s in SECTIONS if s.slug == slug)
    return {
        f.name: hostile(MAX_LONG_TEXT, n + variant)
        for n, f in enumerate(section.fields)
        if f.kind != "date"
    }


REPEATABLE = ("who", "payment-details", "demands")
LONG = ("messages", "contact-details", "posted")


def maximal_report(send: bool) -> tuple[str, str]:
    """A record at its limits, linked (and sent if `send`): its reference and passphrase."""
    from dontpay.cases.reports import add_item, save_section
    from dontpay.domain.reports import section

    created = create_report("GB", under_18=False)
    report = created.report
    with holding_owner_key(report.pk, created.key):
        for slug in REPEATABLE:
            for number in range(MAX_ITEMS - 1):
                add_item(report, section(slug), item_values(slug, number))
        for slug in LONG:
            save_section(report, section(slug), long_values(slug))
        if send:
            send_report(report, {s.slug for s in SECTIONS}, [])
        consent_to_linking(report)
    return report.reference, created.passphrase


def opened(reference: str, passphrase: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    response = client.post("/report/sign-in/", {"reference": reference, "passphrase": passphrase})
    assert response.status_code == 302, response.status_code
    return client


def cpu(work: Callable[[], int]) -> float:
    started = time.process_time()
    status = work()
    spent = time.process_time() - started
    assert status in (200, 302), status
    return spent


def section_costs(client: Client, runs: int) -> dict[str, float]:
    """Median CPU seconds of each victim POST on the open record."""
    costs: dict[str, list[float]] = {}
    for run in range(runs):
        for slug in REPEATABLE:
            url = f"/report/record/{slug}/"
            add = {**item_values(slug, 7), "action": "add"}
            costs.setdefault(f"add an item to {slug}", []).append(
                cpu(lambda url=url, add=add: client.post(url, add).status_code)
            )
            remove = {"action": f"remove-{MAX_ITEMS - 1}"}
            costs.setdefault(f"remove an item from {slug}", []).append(
                cpu(lambda url=url, remove=remove: client.post(url, remove).status_code)
            )
        for slug in LONG:
            url = f"/report/record/{slug}/"
            body = {**long_values(slug, variant=run + 1), "action": "continue"}
            costs.setdefault(f"save {slug}", []).append(
                cpu(lambda url=url, body=body: client.post(url, body).status_code)
            )
    return {name: statistics.median(values) for name, values in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the refusals and task states the runs provoke
    call_command("migrate", verbosity=0)
    sent = maximal_report(send=True)
    private = maximal_report(send=False)

    with override_settings(TASKS=IMMEDIATE):
        baseline = section_costs(opened(*sent), args.runs)
    ours_sent = section_costs(opened(*sent), args.runs)
    ours_private = section_costs(opened(*private), args.runs)
    from dontpay.cases.models import Report

    report_id = Report.objects.get(reference=sent[0]).pk
    rescan = statistics.median(
        cpu(lambda: scan_saved_record(report_id) or 200) for _ in range(args.runs)
    )

    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; {os.cpu_count()} cores")
    print(f"record: {MAX_ITEMS - 1} items in each list, every field at its limit, hostile text")
    print(
        "| victim POST | baseline: rescan in the request (s CPU) | ours, sent (s CPU) | ratio "
        "| ours, linked but not sent (s CPU) |"
    )
    print("|---|---|---|---|---|")
    for name in baseline:
        print(
            f"| {name} | {baseline[name]:.3f} | {ours_sent[name]:.3f} | "
            f"{ours_sent[name] / baseline[name]:.2f} | {ours_private[name]:.3f} |"
        )
    slowest = max(baseline, key=lambda name: max(ours_sent[name], ours_private[name]))
    worst = max(ours_sent[slowest], ours_private[slowest])
    print(
        f"| **slowest** | {max(baseline.values()):.3f} | {max(ours_sent.values()):.3f} | "
        f"{max(ours_sent.values()) / max(baseline.values()):.2f} | "
        f"{max(ours_private.values()):.3f} |"
    )
    print(f"whole-record rescan, now on the worker: {rescan:.3f} s CPU")
    verdict = "met" if worst <= TARGET_SECONDS else "MISSED"
    print(f"target: slowest victim POST <= {TARGET_SECONDS} s CPU: {worst:.3f} s ({verdict})")


if __name__ == "__main__":
    main()
