"""`dontpay worker`: runs background tasks from the database queue, and housekeeping."""

import threading
from typing import Any

from django.core.management import call_command

from dontpay.site.commands import ProductCommand
from dontpay.site.housekeeping import start_housekeeping


class Command(ProductCommand):
    help = (
        "Run a background task worker (django-tasks-db); run as many as the load needs. Each "
        "also deletes expired sessions and orphaned vault files every ten minutes."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        start_housekeeping(stop)
        try:
            call_command("db_worker", "--no-reload")
        finally:
            stop.set()
