from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CasesConfig(AppConfig):
    """Reports, their evidence items and custody chains; later case files and outcomes."""

    name = "dontpay.cases"
    label = "cases"

    def ready(self) -> None:
        connection_created.connect(overwrite_deleted_data)


def overwrite_deleted_data(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On SQLite, overwrite deleted rows with zeros, so a destroyed data key is really gone
    from the file (PostgreSQL reclaims dead rows with VACUUM; see docs/configuration.md)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
