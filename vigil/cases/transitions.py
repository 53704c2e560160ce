"""The case status pipeline as an explicit transition table (django-oscar style).

Closing is not a plain move: a caseworker requests closure with the checklist
and an outcome, and a coordinator approves it (cases.actions).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vigil.cases.models import CaseStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.TRIAGED}),
    S.TRIAGED: frozenset({S.ACTIVE, S.NEW}),
    S.ACTIVE: frozenset({S.MONITORING}),
    S.MONITORING: frozenset({S.ACTIVE}),
    S.CLOSED: frozenset({S.ACTIVE}),  # reopen
}

# Closure can be requested from these statuses; approval moves to CLOSED.
CLOSABLE: frozenset[str] = frozenset({S.ACTIVE, S.MONITORING, S.TRIAGED})

CLOSURE_CHECKLIST = [
    ("client_informed", _("The client knows the outcome and how to reach us again")),
    ("tasks_done", _("Every task is done or no longer needed")),
    ("evidence_stored", _("Evidence is uploaded and its hashes recorded")),
    ("consents_current", _("Consent decisions are recorded and current")),
    ("referrals_followed", _("Referrals were followed up")),
]


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def unanswered_checklist(answers: dict[str, bool]) -> list[str]:
    """Checklist keys not confirmed in ``answers`` (items added since the request count)."""
    return [key for key, _label in CLOSURE_CHECKLIST if not answers.get(key)]
