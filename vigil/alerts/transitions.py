"""The alert pipeline as an explicit transition table (like cases and complaints).

Each move has its own action in ``alerts.actions``: submitting runs the leak check,
approving needs a second person and the checklist, publishing releases the copy
for members and the checker's indexes, ending (expiry, withdrawal) destroys them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from vigil.alerts.models import AlertStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.VETTING, S.WITHDRAWN}),
    S.VETTING: frozenset({S.DRAFT, S.APPROVED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.PUBLISHED, S.WITHDRAWN}),
    S.PUBLISHED: frozenset({S.EXPIRED, S.WITHDRAWN}),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

LIVE: frozenset[str] = frozenset({S.PUBLISHED})
ENDED: frozenset[str] = frozenset({S.EXPIRED, S.WITHDRAWN})

# What the second person confirms before approving (all must be ticked).
CHECKLIST: list[tuple[str, object]] = [
    ("not_identifying", _("Nothing in it identifies her (name, contact, address, exact date)")),
    ("not_private", _("Nothing in it that only she and the offender would know")),
    ("no_officer_name", _("No officer's name")),
]


def allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
