"""Run as its own process by the crash test: prints ``READY`` once started, then uploads
screenshots to one report, one after another, printing ``ACK <item id> <sha256>`` once each
upload has returned."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
django.setup()

from dontpay.cases.evidence import add_evidence  # noqa: E402
from dontpay.cases.models import Report  # noqa: E402
from tests.cases.factories import screenshot  # noqa: E402

report = Report.objects.get(reference=sys.argv[1])
print("READY", flush=True)
for number in range(int(sys.argv[2]), 1_000_000):
    item = add_evidence(report, f"{number}.png", screenshot(f"message number {number}", (200, 240)))
    print(f"ACK {item.pk} {item.sha256}", flush=True)
