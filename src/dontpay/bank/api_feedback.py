"""``PUT`` and ``GET /api/v1/feedback/{entry}``: a platform's verdict on the matches of an entry.

PUT is idempotent: the same verdict again changes nothing; another verdict replaces the token's
own. A token reads and changes only its own feedback; another token's is never visible. Feedback
is taken only on an entry the token's platform was given (`shown.py`); any other entry, whether
or not it exists, is not found, so the answer tells nothing of entries the platform never had.
"""

from django.http import HttpRequest
from ninja import Path, Router

from .auth import PlatformTokenAuth, platform_of
from .feedback import EntryNotShown, feedback_of, give_feedback
from .models import MatchFeedback, PlatformToken
from .problems import ApiProblem
from .schemas import Problem
from .schemas_feedback import EntryPath, FeedbackIn, FeedbackOut

router = Router(tags=["feedback"])

_ERRORS = dict.fromkeys((400, 401, 403, 404, 413, 415, 422, 429), Problem)


@router.put(
    "/feedback/{entry}",
    auth=PlatformTokenAuth(PlatformToken.FEEDBACK),
    response={200: FeedbackOut, **_ERRORS},
    summary="Confirm a match, or mark it a false positive",
)
def put_feedback(
    request: HttpRequest, path: Path[EntryPath], payload: FeedbackIn
) -> dict[str, object]:
    """Set this token's verdict on the matches of a bank entry that a match answered, or the
    signal feed listed, to a token of its platform (tokens of one name); any other is 404."""
    try:
        feedback = give_feedback(platform_of(request), path.entry, payload.verdict)
    except EntryNotShown:
        raise ApiProblem(
            404,
            f"Entry {path.entry} was never given to this platform: give feedback on the entries "
            "that a match answered, or the signal feed listed, to a token of this platform",
        ) from None
    return _described(feedback)


@router.get(
    "/feedback/{entry}",
    auth=PlatformTokenAuth(PlatformToken.FEEDBACK),
    response={200: FeedbackOut, **_ERRORS},
    summary="This token's verdict on a bank entry",
)
def get_feedback(request: HttpRequest, path: Path[EntryPath]) -> dict[str, object]:
    """The verdict this token gave, or 404 if it gave none."""
    feedback = feedback_of(platform_of(request), path.entry)
    if feedback is None:
        raise ApiProblem(404, f"This token has given no feedback on entry {path.entry}")
    return _described(feedback)


def _described(feedback: MatchFeedback) -> dict[str, object]:
    return {
        "entry": feedback.entry_id,
        "verdict": feedback.verdict,
        "given_at": feedback.given_at,
        "changed_at": feedback.changed_at,
    }
