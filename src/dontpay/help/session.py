"""The person's answers and ticked-off steps, kept in their session only (gone on exit)."""

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from dontpay.domain.guidance import Answers, InvalidAnswer, load_pack, parse_answers


def saved_answers(session: SessionBase) -> dict[str, Any]:
    """Raw answers as given so far, in the JSON shape `parse_answers` reads."""
    return dict(session.get("answers", {}))


def save_answer(session: SessionBase, field: str, value: object) -> None:
    """Store one answer; a new jurisdiction drops apps its pack does not know."""
    answers = saved_answers(session)
    answers[field] = value
    if field == "jurisdiction" and isinstance(value, str):
        known = load_pack(value).platforms
        answers["platforms"] = [p for p in answers.get("platforms") or [] if p in known]
    session["answers"] = answers


def current_answers(session: SessionBase) -> Answers | None:
    """The answers as the engine sees them, or None before a jurisdiction is chosen."""
    try:
        return parse_answers(saved_answers(session))
    except InvalidAnswer:
        return None


def done_steps(session: SessionBase) -> set[str]:
    """Keys of the steps the person has ticked off."""
    return set(session.get("done", []))


def mark_step(session: SessionBase, key: str, done: bool) -> None:
    """Tick a step off, or untick it."""
    keys = done_steps(session)
    if done:
        keys.add(key)
    else:
        keys.discard(key)
    session["done"] = sorted(keys)
