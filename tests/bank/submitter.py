"""Run as its own process by the cross-process tests: prints ``READY``, then for each line
``add HASH`` or ``withdraw CASE PIN`` on stdin changes the bank and prints ``DONE <case> <pin>``
once the change is committed; ``flood HASH MATCHES`` counts that many matches of the entry, as
this process's match answers would, and prints ``DONE`` and any entry that quarantined."""

import os
import sys
from collections import Counter

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
django.setup()

from dontpay.bank.flood import count_matches  # noqa: E402
from dontpay.bank.models import BankEntry  # noqa: E402
from dontpay.bank.submissions import (  # noqa: E402
    check_submission,
    submit_signals,
    withdraw_submission,
)

print("READY", flush=True)
for line in sys.stdin:
    action, *words = line.split()
    if action == "add":
        new = submit_signals([("pdq", words[0], 100)], "web")
        print("DONE", new.case_number, new.pin, flush=True)
    elif action == "withdraw":
        submission = check_submission(words[0], words[1], "submitter")
        assert submission is not None
        withdraw_submission(submission)
        print("DONE", words[0], words[1], flush=True)
    elif action == "flood":
        entry = BankEntry.objects.get(value=words[0]).pk
        quarantined = count_matches(Counter({entry: int(words[1])}))
        print("DONE", *sorted(quarantined), flush=True)
