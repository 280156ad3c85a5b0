"""``POST /api/v1/match/dihedral``: find turned and mirrored copies, one upload at a time.

An upload is sent as its eight dihedral PDQ hashes and searched as one signal; each bank entry
found is reported once, at the nearest of the eight, with the transform that matched. The bank
still holds one hash per image, so memory is unchanged; the search does eight times the work.
"""

from django.http import HttpRequest
from ninja import Router

from dontpay.domain.signals import flatten_dihedral, nearest_transform_per_entry
from dontpay.site.metrics import count_match_signals

from .auth import PlatformTokenAuth, platform_of
from .flood import screen_matches
from .index import bank_index
from .models import PlatformToken
from .schemas import Problem
from .schemas_dihedral import DihedralMatchRequest, DihedralMatchResponse
from .shown import note_answer_shown

router = Router(tags=["match"])


@router.post(
    "/match/dihedral",
    auth=PlatformTokenAuth(PlatformToken.MATCH),
    response={
        200: DihedralMatchResponse,
        **dict.fromkeys((400, 401, 403, 413, 415, 422, 429), Problem),
    },
    summary="Match uploads by their eight dihedral PDQ hashes: turned and mirrored copies",
)
def match_dihedral(request: HttpRequest, payload: DihedralMatchRequest) -> dict[str, object]:
    """Live bank entries within 31 bits of any of each upload's eight hashes, each once, at
    the nearest, with the transform that matched."""
    count_match_signals("image", len(payload.signals))
    uploads = [signal.dihedral for signal in payload.signals]
    rows, ids, distances = bank_index().match_image_arrays(flatten_dihedral(uploads))
    found = screen_matches(
        nearest_transform_per_entry(rows, ids, distances, len(uploads)),
        lambda match: match.entry,
    )
    note_answer_shown(platform_of(request), found, lambda match: match.entry)
    return {
        "results": [
            {
                "signal": number,
                "matches": [
                    {"entry": m.entry, "distance": m.distance, "transform": m.transform}
                    for m in matches
                ],
            }
            for number, matches in enumerate(found)
        ]
    }
