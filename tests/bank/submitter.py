"""Run as its own process by the cross-process test: prints ``READY``, then for each line
``add HASH`` or ``withdraw CASE PIN`` on stdin changes the bank and prints ``DONE <case> <pin>``
once the change is committed."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
django.setup()

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
