"""`dontpay serve`: the web server for deployments."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command

from dontpay.site.commands import BadInput, ProductCommand
from dontpay.site.proxy import canonical_address
from dontpay.site.server import CONNECTION_LIMIT, THREADS, run_web_server


class Command(ProductCommand):
    help = (
        "Serve dontpay with granian, a production WSGI server; static files are served by the app."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=THREADS, help="threads that run the app")
        parser.add_argument(
            "--connection-limit",
            type=int,
            default=CONNECTION_LIMIT,
            help="open connections held at once; later ones wait in the kernel's queue",
        )
        parser.add_argument(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="address of the reverse proxy whose X-Forwarded-Proto/-For headers to believe",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for option in ("threads", "connection_limit"):
            if options[option] < 1:
                raise BadInput(f"--{option.replace('_', '-')}: must be at least 1")
        proxy = options["trusted_proxy"]
        if proxy is not None and canonical_address(proxy) is None:
            raise BadInput(f"--trusted-proxy: {proxy!r} is not an IP address")
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"dontpay serving on http://{options['host']}:{options['port']}/")
        try:
            run_web_server(
                options["host"],
                options["port"],
                options["threads"],
                options["trusted_proxy"],
                options["connection_limit"],
            )
        except OSError as problem:
            raise BadInput(f"--port: cannot listen on {options['port']}: {problem}") from None
