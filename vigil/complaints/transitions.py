"""The legal-action status pipeline as an explicit transition table.

Several moves carry data and go through their own action function instead of
a plain move: filing (draft → submitted: date, channel, consent check, due
date), recording the response (→ response_received), and appealing
(→ appealed, which opens the appeal as a new draft action).
"""

from __future__ import annotations

from vigil.complaints.models import ActionStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CLOSED}),
    S.SUBMITTED: frozenset({S.ACKNOWLEDGED, S.RESPONSE_RECEIVED, S.APPEALED, S.CLOSED}),
    S.ACKNOWLEDGED: frozenset({S.RESPONSE_RECEIVED, S.APPEALED, S.CLOSED}),
    # Appealing against inaction (no answer) is possible before any response.
    S.RESPONSE_RECEIVED: frozenset({S.APPEALED, S.CLOSED}),
    S.APPEALED: frozenset({S.CLOSED}),
    S.CLOSED: frozenset(),
}

# Moves that need their own form and action; never offered as a plain button.
WITH_DATA: frozenset[str] = frozenset(
    {S.SUBMITTED, S.ACKNOWLEDGED, S.RESPONSE_RECEIVED, S.APPEALED}
)


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
