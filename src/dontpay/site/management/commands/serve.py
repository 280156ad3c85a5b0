"""`dontpay serve`: the web server for deployments."""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command

from dontpay.site.commands import ProductCommand
from dontpay.site.server import CONNECTION_LIMIT, THREADS, run_web_server


class Command(ProductCommand):
    help = "Serve dontpay with a production WSGI server; static files are served by the app."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=THREADS)
        parser.add_argument(
            "--connection-limit",
            type=int,
            default=CONNECTION_LIMIT,
            help="open connections accepted before waiting ones are left to the kernel's queue",
        )
        parser.add_argument(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="address of the reverse proxy whose X-Forwarded-Proto/-For headers to believe",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"dontpay serving on http://{options['host']}:{options['port']}/")
        run_web_server(
            options["host"],
            options["port"],
            options["threads"],
            options["trusted_proxy"],
            options["connection_limit"],
        )
