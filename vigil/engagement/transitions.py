"""Status pipelines of suggestions and recommendations as explicit transition tables.

A suggestion goes from submitted to answered by the police (with the answer),
then to implemented or rejected; the police may also reject it outright. A
recommendation is worked on, repeated at a follow-up visit (still owed), and
ends implemented or rejected; a rejected one can be repeated.
"""

from __future__ import annotations

from vigil.engagement.models import RecommendationStatus as R
from vigil.engagement.models import SuggestionStatus as S

SUGGESTION: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.ANSWERED, S.REJECTED}),
    S.ANSWERED: frozenset({S.IMPLEMENTED, S.REJECTED}),
    S.IMPLEMENTED: frozenset(),
    S.REJECTED: frozenset(),
}

RECOMMENDATION: dict[str, frozenset[str]] = {
    R.OPEN: frozenset({R.IN_PROGRESS, R.REPEATED, R.IMPLEMENTED, R.REJECTED}),
    R.IN_PROGRESS: frozenset({R.REPEATED, R.IMPLEMENTED, R.REJECTED}),
    R.REPEATED: frozenset({R.IN_PROGRESS, R.IMPLEMENTED, R.REJECTED}),
    R.IMPLEMENTED: frozenset(),
    R.REJECTED: frozenset({R.REPEATED}),
}


def suggestion_allowed(from_status: str, to_status: str) -> bool:
    return to_status in SUGGESTION.get(from_status, frozenset())


def recommendation_allowed(from_status: str, to_status: str) -> bool:
    return to_status in RECOMMENDATION.get(from_status, frozenset())
