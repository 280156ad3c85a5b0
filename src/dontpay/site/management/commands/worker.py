"""`dontpay worker`: runs background tasks from the database queue."""

from typing import Any

from django.core.management import call_command

from dontpay.site.commands import ProductCommand


class Command(ProductCommand):
    help = "Run a background task worker (django-tasks-db); run as many as the load needs."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("db_worker", "--no-reload")
