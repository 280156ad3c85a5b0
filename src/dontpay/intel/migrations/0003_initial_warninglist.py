"""Load the initial warninglist (warninglist.yaml): platform domains, automatic senders, example
and demo values."""

from pathlib import Path
from typing import Any

import yaml
from django.db import migrations

WARNINGLIST = Path(__file__).resolve().parents[1] / "warninglist.yaml"


def load_warninglist(apps: Any, schema_editor: Any) -> None:
    entry = apps.get_model("intel", "WarninglistEntry")
    groups = yaml.safe_load(WARNINGLIST.read_text(encoding="utf-8"))["groups"]
    entry.objects.bulk_create(
        [
            entry(
                type=type,
                value=value,
                match=group["match"],
                reason=group["reason"],
                added_by="dontpay",
            )
            for group in groups
            for type in group["types"]
            for value in group["values"]
        ],
        ignore_conflicts=True,
    )


def unload_warninglist(apps: Any, schema_editor: Any) -> None:
    apps.get_model("intel", "WarninglistEntry").objects.filter(added_by="dontpay").delete()


class Migration(migrations.Migration):
    dependencies = [("intel", "0002_linking_index")]

    operations = [migrations.RunPython(load_warninglist, unload_warninglist)]
