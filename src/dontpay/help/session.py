"""The person's answers and ticked-off steps, kept in their session only (gone on exit)."""

from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from dontpay.domain.guidance import Answers, InvalidAnswer, Step, parse_answers


def saved_answers(session: SessionBase) -> dict[str, Any]:
    """Raw answers given so far that still make sense (in the JSON shape `parse_answers` reads).

    An answer that no longer parses, for example a jurisdiction whose pack has been withdrawn,
    is dropped, so the person is asked it again instead of meeting an error.
    """
    answers = dict(session.get("answers", {}))
    for _ in range(len(answers)):
        if "jurisdiction" not in answers:
            break
        try:
            parse_answers(answers)
            break
        except InvalidAnswer as problem:
            answers.pop(problem.field, None)
    if answers != session.get("answers", {}):
        session["answers"] = answers
    return answers


def save_answer(session: SessionBase, field: str, value: object) -> None:
    """Store one answer."""
    session["answers"] = {**saved_answers(session), field: value}


def current_answers(session: SessionBase) -> Answers | None:
    """The answers as the engine sees them, or None before a jurisdiction is chosen."""
    try:
        return parse_answers(saved_answers(session))
    except InvalidAnswer:
        return None


def _tick(step: Step) -> str:
    """A tick belongs to one wording of a step: if a changed answer changes it, it is undone."""
    return f"{step.key}|{step.title}"


def done_steps(session: SessionBase, steps: tuple[Step, ...]) -> set[str]:
    """Keys of the steps, of these, that the person has ticked off."""
    ticks = set(session.get("done", []))
    return {step.key for step in steps if _tick(step) in ticks}


def mark_step(session: SessionBase, step: Step, done: bool) -> None:
    """Tick a step off, or untick it."""
    ticks = set(session.get("done", []))
    if done:
        ticks.add(_tick(step))
    else:
        ticks.discard(_tick(step))
    session["done"] = sorted(ticks)


def remember_age(session: SessionBase, *, under_18: bool | None) -> None:
    """Keep the person's age answer for the whole visit. An under-18 answer is never undone by
    a later one: a child who says they are under 18 anywhere is treated as one everywhere."""
    if saved_answers(session).get("under_18") is True:
        return
    if under_18 is not None or "under_18" not in saved_answers(session):
        save_answer(session, "under_18", under_18)


def under_18_in_this_visit(session: SessionBase) -> bool:
    """Whether the person said, anywhere in this visit, that they are under 18."""
    return saved_answers(session).get("under_18") is True
