"""A session is written when it changes, and otherwise only when its expiry is due to be pushed
back: a page view that changes nothing costs no database write."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dontpay.site.session_renewal import RENEW_SECONDS

pytestmark = pytest.mark.django_db


@contextmanager
def session_writes() -> Iterator[list[str]]:
    """The INSERT, UPDATE and DELETE statements on the session table run inside the block."""
    writes: list[str] = []
    with CaptureQueriesContext(connection) as queries:
        yield writes
    writes.extend(
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    )


def test_a_get_that_changes_nothing_does_not_write_the_session(client: Client) -> None:
    client.get("/questions/where/")
    client.post("/questions/where/", {"answer": "GB"})
    expiry = Session.objects.get().expire_date
    with session_writes() as writes:
        for url in ("/questions/where/", "/questions/when/", "/", "/staying-safe/"):
            assert client.get(url).status_code == 200
    assert writes == []
    assert Session.objects.get().expire_date == expiry


def test_an_answer_writes_the_session(client: Client) -> None:
    client.get("/questions/where/")
    with session_writes() as writes:
        client.post("/questions/where/", {"answer": "GB"})
    assert writes
    with session_writes() as writes:
        client.post("/questions/when/", {"answer": "now"})
    assert writes
    assert client.session["answers"] == {"jurisdiction": "GB", "timing": "now"}


def test_an_unchanged_session_is_written_once_its_expiry_is_due(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    session = client.session
    session["_written_at"] -= RENEW_SECONDS + 1
    session.save()
    soon = timezone.now() + timedelta(minutes=1)
    Session.objects.update(expire_date=soon)
    with session_writes() as writes:
        client.get("/questions/when/")
    assert writes
    assert Session.objects.get().expire_date > soon + timedelta(minutes=110)
    assert client.session["answers"] == {"jurisdiction": "GB"}


def test_a_visit_without_a_session_does_not_start_one(client: Client) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/staying-safe/").status_code == 200
    assert not Session.objects.exists()


def test_exit_still_deletes_the_session(client: Client) -> None:
    client.post("/questions/where/", {"answer": "GB"})
    assert Session.objects.exists()
    client.get("/exit/")
    assert not Session.objects.exists()
