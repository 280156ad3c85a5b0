"""Stopping cleanly on SIGTERM or SIGINT, as a service manager or container runtime asks, and
never leaving a child process behind.

The web server (`site/server.py`) stops accepting connections at once, lets the requests it has
already received finish and their responses go out, then exits; a request still running after
``DONTPAY_SHUTDOWN_GRACE`` seconds is abandoned. The worker finishes the task it is running (or
gives up on it after the grace period, when the task is marked failed), then exits.

A process stops when its main thread runs its SIGTERM handler. Linux may hand the signal to any
thread, and CPython only notices one handed to another thread when the main thread next runs
Python: granian's worker waits in a lock meanwhile, so while the app's threads were busy (hashing
a passphrase) it sometimes never stopped and was killed at the end of the grace period, its
finished requests' connections cut. `take_stop_signals_in_one_thread` makes delivery certain.

`serve` and `demo` start child processes. If the parent is killed outright, which no signal
handler sees, Linux stops the web server's worker too (`die_with_parent`); the demo's task
worker watches for its parent's end itself (`dontpay worker --parent`), so that it can let its
task finish first.
"""

import ctypes
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int, signum: signal.Signals) -> None:
    """In a child process of `parent`: have Linux send `signum` to the child when the parent
    dies, even by SIGKILL, so that the child is never left running re-parented to PID 1. If the
    parent has already gone, the signal is sent now. Elsewhere than Linux, nothing happens."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, int(signum))
    if os.getppid() != parent:  # the parent died before the request took effect
        os.kill(os.getpid(), signum)


STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGINT})


def take_stop_signals_in_one_thread() -> None:
    """Block SIGTERM and SIGINT in this thread and every thread started from it later, and
    start one thread that waits for them and calls whatever handler is installed when one
    arrives (as the main thread would). Call it in the main thread before other threads start."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)

    def relay() -> None:
        while True:
            signum = signal.sigwait(STOP_SIGNALS)
            handler = signal.getsignal(signum)
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signum})
                signal.raise_signal(signum)  # the default: the process ends

    threading.Thread(target=relay, name="stop-signals", daemon=True).start()
