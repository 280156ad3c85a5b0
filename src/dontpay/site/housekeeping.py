"""Periodic clean-up run by every `dontpay worker`: expired sessions, orphaned vault files,
referral packs nobody downloaded in time and guessing attempts too old to count."""

import logging
import threading

from django.core.management import call_command
from django.db import close_old_connections

from dontpay.accounts.sign_in import SIGN_IN_GUESSES
from dontpay.bank.submissions import PIN_GUESSES
from dontpay.cases.evidence import sweep_orphans
from dontpay.cases.reports import PASSPHRASE_GUESSES
from dontpay.intel.prepared_referrals import discard_stale_referrals

log = logging.getLogger(__name__)

#: Seconds between rounds.
INTERVAL = 600


def tidy_up() -> None:
    """Delete expired sessions (with any answers in them) and stale referral packs, sweep
    orphaned vault files, and forget passphrase, PIN and staff sign-in attempts older than their
    throttling windows."""
    close_old_connections()
    try:
        call_command("clearsessions")
        discard_stale_referrals()
        sweep_orphans()
        PASSPHRASE_GUESSES.forget_old()
        PIN_GUESSES.forget_old()
        SIGN_IN_GUESSES.forget_old()
    finally:
        close_old_connections()


def start_housekeeping(stop: threading.Event) -> threading.Thread:
    """Run `tidy_up` now and every `INTERVAL` seconds until `stop` is set, in the background."""

    def loop() -> None:
        while not stop.is_set():
            try:
                tidy_up()
            except Exception:  # keep tidying on the next round; the worker must not die
                log.exception("housekeeping failed")
            stop.wait(INTERVAL)

    thread = threading.Thread(target=loop, name="housekeeping", daemon=True)
    thread.start()
    return thread
