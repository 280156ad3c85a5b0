"""Writing a session only when it changed, or when its expiry is due to be pushed back.

A session expires `SESSION_COOKIE_AGE` (two hours) after it was last written. Writing it on
every request (Django's ``SESSION_SAVE_EVERY_REQUEST``) kept that "two hours after the last
request" exactly, but made every page view a database write, and on SQLite writes queue behind
one another. So a request that changes nothing writes the session only if its last write is
more than `RENEW_SECONDS` old: it then expires between two hours minus that and two hours after
the last request, never later, as the start page promises. An open record's 20-minute idle close
is unaffected: `help.record_session` changes the session on every request that uses the record.
"""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

#: How stale a session's expiry may grow before an unchanged request writes it anyway.
RENEW_SECONDS = 5 * 60
_WRITTEN = "_written_at"


class SessionRenewalMiddleware:
    """Mark the session for saving when it changed or its expiry is due; Django's
    `SessionMiddleware`, just outside this one, then writes it or leaves it alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or (not session.modified and session.session_key is None):
            return response  # no session, or none was asked for: do not start one
        now = time.time()
        due = session.modified or now - session.get(_WRITTEN, 0) > RENEW_SECONDS
        if due and not session.is_empty():  # a stale cookie or a flushed session stays gone
            session[_WRITTEN] = now
        return response
