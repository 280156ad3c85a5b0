"""Why an indicator search found nothing: the value is not indexed (fictional, invalid), it is
on the warninglist, or it is a real indicator that no report mentions yet."""

from dataclasses import dataclass

from dontpay.domain.correlate import Warninglist, WarninglistRule
from dontpay.domain.indicators.explain import read_query

from .forms import type_name
from .models import WarninglistEntry

NOT_INDEXED = "not-indexed"
WARNINGLISTED = "warninglisted"
NOT_MENTIONED = "not-mentioned"


@dataclass(frozen=True)
class Explanation:
    """One reason a search found nothing, and what kind of reason it is."""

    kind: str
    type_name: str
    message: str


def why_nothing_found(query: str, region: str = "GB") -> list[Explanation]:
    """The reasons, most useful first; empty when the query reads as no indicator at all."""
    reading = read_query(query, region)
    explanations = [
        Explanation(NOT_INDEXED, type_name(problem.type), problem.message)
        for problem in reading.not_indexed
    ]
    for indicator in reading.indicators:
        qualifier = indicator.platform or indicator.network or ""
        reasons = [
            entry.reason
            for entry in WarninglistEntry.objects.filter(type=indicator.type)
            if Warninglist([WarninglistRule(entry.type, entry.value, entry.match)]).matches(
                indicator.type, indicator.value, qualifier
            )
        ]
        if reasons:
            message = (
                f"{indicator.value} is on the warninglist ({'; '.join(reasons)}): reports that "
                "mention it are not linked by it. No report mentions it yet."
            )
            explanations.append(Explanation(WARNINGLISTED, type_name(indicator.type), message))
        else:
            message = f"No report mentions {indicator.value} yet."
            explanations.append(Explanation(NOT_MENTIONED, type_name(indicator.type), message))
    return explanations
