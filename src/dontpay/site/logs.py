"""Keeping what people wrote out of the logs.

Libraries that render a person's words quote them in their warnings: WeasyPrint names the
character it had no glyph for, or prints a whole embedded image as a data: URI. The message's
template is kept (it says what went wrong); its arguments, which hold the content, are not.
"""

import logging


class WithoutArguments(logging.Filter):
    """Log a record's message template only, never the values put into it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = f"{record.msg} (details withheld: they may quote a report)"
            record.args = ()
        return True
