"""The `dontpay` command: every Django management command, plus the product's own."""

import os
import sys


def main() -> None:
    """Run ``dontpay <command> [options]``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dontpay.site.settings")
    _apply_data_dir(sys.argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


def _apply_data_dir(argv: list[str]) -> None:
    """Honour ``--data-dir DIR`` before settings are read, since settings depend on it."""
    for index, arg in enumerate(argv):
        if arg == "--data-dir" and index + 1 < len(argv):
            os.environ["DONTPAY_DATA_DIR"] = argv[index + 1]
        elif arg.startswith("--data-dir="):
            os.environ["DONTPAY_DATA_DIR"] = arg.split("=", 1)[1]


if __name__ == "__main__":
    main()
