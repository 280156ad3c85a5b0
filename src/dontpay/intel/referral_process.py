"""Building a referral pack in a child process of the worker, which exits when it is done.

The PDF engine, its fonts and the phone number data a pack needs take about 150 MB, and a process
building the pack of a 200-report cluster peaked at about 750 MB (benchmarks/referral_pack.py).
A worker that did this itself would keep most of it for good (native allocators keep their
arenas) while it spends its life waiting, so each pack is built by a fresh
``python -m dontpay.intel.referral_process ID``, whose memory goes back to the system when it
exits. Unlike the OCR process it runs with the worker's own settings and keys: it reads the
reports and signs the pack, as the worker would.
"""

import os
import subprocess
import sys


def build_in_child(prepared_id: int) -> None:
    """Build the pack in a child process and wait for it. A child that fails (it logs why),
    outlives the time the pack is kept, or is stopped with the worker fails the pack."""
    from dontpay.intel.models import PreparedReferral
    from dontpay.intel.prepared_referrals import KEPT_FOR, fail

    command = [sys.executable, "-m", "dontpay.intel.referral_process", str(prepared_id)]
    try:
        done = subprocess.run(  # noqa: S603 - this module, with a number
            command, stdin=subprocess.DEVNULL, timeout=KEPT_FOR.total_seconds(), check=False
        )
    except BaseException:  # a timeout, or the worker stopping: run() has killed the child
        fail(prepared_id, PreparedReferral.ERROR)
        raise
    if done.returncode:
        fail(prepared_id, PreparedReferral.ERROR)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
    import django

    django.setup()
    from dontpay.intel.prepared_referrals import build_prepared_referral

    build_prepared_referral(int(sys.argv[1]))


if __name__ == "__main__":
    main()
