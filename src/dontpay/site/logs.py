"""Keeping what people wrote out of the logs, and saying each thing once.

Libraries that render a person's words quote them in their warnings: WeasyPrint names the
character it had no glyph for, or prints a whole embedded image as a data: URI. The message's
template is kept (it says what went wrong); its arguments, which hold the content, are not.

Under load, waitress warns "Task queue depth is N" for every request that waits for a thread
(125,000 lines in ten minutes), and says it reached its connection limit each time it does:
`Summarised` lets the first of each kind through and then one summary a minute.
"""

import logging
import threading
import time


class WithoutArguments(logging.Filter):
    """Log a record's message template only, never the values put into it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.msg = f"{record.msg} (details withheld: they may quote a report)"
            record.args = ()
        return True


class Summarised(logging.Filter):
    """Pass the first record of each message template, then at most one every `interval`
    seconds, which says how many like it were held back and the highest number they gave."""

    def __init__(self, interval: float = 60.0) -> None:
        super().__init__()
        self.interval = interval
        self._lock = threading.Lock()
        #: template -> (when one was last passed, records held back since, highest first arg)
        self._seen: dict[str, tuple[float, int, int | None]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        template = str(record.msg)
        first = record.args[0] if isinstance(record.args, tuple) and record.args else None
        number = first if isinstance(first, int) else None
        now = time.monotonic()
        with self._lock:
            passed_at, held, highest = self._seen.get(template, (-float("inf"), 0, None))
            if number is not None:
                highest = number if highest is None else max(highest, number)
            if now - passed_at < self.interval:
                self._seen[template] = (passed_at, held + 1, highest)
                return False
            self._seen[template] = (now, 0, None)
        if held:
            most = f", highest {highest}" if highest is not None else ""
            record.msg = (
                f"{record.msg} (and {held} more like this in the last {self.interval:g} s{most})"
            )
        return True
