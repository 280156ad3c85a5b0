"""`dontpay demo`: the whole product on one machine, for a first look."""

import os
import signal
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command

from dontpay.bank.tokens import create_token
from dontpay.site.commands import BadInput, ProductCommand
from dontpay.site.demo_data import DEMO_PASSWORD, demo_logins, demo_reports, demo_statistics
from dontpay.site.server import run_web_server


class Command(ProductCommand):
    help = (
        "Migrate an embedded SQLite database in the data directory, then run the web server "
        "and a task worker together. Ctrl-C or SIGTERM stops both, letting in-flight work finish."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--data-dir",
            help="where the demo keeps its database (default: ./data, or DONTPAY_DATA_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise BadInput("the demo refuses to run with DONTPAY_MODE=production")
        if not 0 < options["port"] < 65536:
            raise BadInput(f"--port: {options['port']} is not a port number (1-65535)")
        call_command("migrate", interactive=False, verbosity=0)
        demo_reports()
        demo_statistics()
        url = f"http://127.0.0.1:{options['port']}/"
        lines = [
            "dontpay demo is running.",
            f"  Help for people being blackmailed: {url}",
            f"  Staff sign-in: {url}staff/login/ (demo accounts below; password "
            f"{DEMO_PASSWORD!r}; the code comes from an authenticator app set up with the key)",
        ]
        lines += [
            f"    {login.username:<18} {login.role:<11} key {login.totp_secret}  "
            f"code now: {login.current_code}"
            for login in demo_logins()
        ]
        platform = create_token("Demo platform", ["match", "signals", "feedback"])
        lines += [
            f"  Platform API: {url}api/v1/ (schema at {url}api/v1/openapi.json); a token made "
            "for this run, allowed to match, follow the signal feed and give match feedback:",
            f"    Authorization: Bearer {platform.secret}",
            f"  Data directory: {settings.DATA_DIR}",
            "Press Ctrl-C to stop.",
        ]
        self.stdout.write("\n".join(lines))
        worker = start_worker()
        try:
            run_web_server("127.0.0.1", options["port"])
        except OSError as problem:
            raise BadInput(f"--port: cannot listen on {options['port']}: {problem}") from None
        finally:
            stop_child(worker, settings.DONTPAY_SHUTDOWN_GRACE)


def start_worker() -> subprocess.Popen[bytes]:
    """The demo's task worker. If the demo is killed, the worker notices that it has gone and
    finishes its task (within the grace period) before it exits."""
    return subprocess.Popen(  # noqa: S603 - our own command and our own process id
        [sys.executable, "-m", "dontpay.site.cli", "worker", "--parent", str(os.getpid())],
        env=os.environ.copy(),
    )


def stop_child(process: subprocess.Popen[bytes], grace_seconds: float) -> None:
    """Ask a child to stop (SIGTERM), wait for it to finish its work, and kill it only if it
    outlives the grace period, so that nothing is left running after the demo."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds + 5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
