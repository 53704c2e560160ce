"""Case helpers the views share: who is on the team, consent summaries, audited reveals.

Reads here take objects the caller already obtained through ``vigil.policy``;
nothing in this module widens what a member may see.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vigil import policy
from vigil.accounts.models import Membership, User
from vigil.audit.log import record
from vigil.cases import consent
from vigil.cases.models import Case, Consent, ConsentOverride, ConsentPurpose
from vigil.incidents.models import Person
from vigil.policy import Perm

# The action name under which contact overrides are recorded and checked.
CONTACT_ACTION = "contact_reveal"
# An override lets the coordinator who made it see the details for this long
# (long enough to read them and make the call; the next visit needs consent again).
OVERRIDE_WINDOW = datetime.timedelta(minutes=15)


def case_team(organisation_id: int) -> QuerySet[User]:
    """Active members of the organisation who may work on cases (assignee choices)."""
    return (
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__is_active=True,
            memberships__role__in=policy.roles_with(Perm.CASE_EDIT),
            is_active=True,
        )
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    body: str
    latest: Consent | None
    body_name: str = ""
    # Every decision for this purpose (and body), newest first; ``latest`` is the first.
    history: tuple[Consent, ...] = ()

    @property
    def granted(self) -> bool:
        return self.latest is not None and self.latest.granted

    @property
    def earlier(self) -> tuple[Consent, ...]:
        return self.history[1:]


def consent_summary(person: Person) -> list[ConsentState]:
    """The current decision per purpose (and per body for sharing), in two queries.

    Same rule as ``cases.consent.current``: the latest row per (purpose, body) wins;
    the rows behind it are its history. Purposes never asked appear with ``latest=None``.
    """
    from vigil.complaints.models import OversightBody

    rows: dict[tuple[str, str], list[Consent]] = {}
    found = Consent.objects.filter(person=person).order_by("-recorded_at", "-pk")
    for row in found.select_related("recorded_by"):
        rows.setdefault((row.purpose, row.body), []).append(row)
    slugs = {body for _purpose, body in rows if body}
    names = {b.slug: b.name for b in OversightBody.objects.filter(slug__in=slugs)}
    states: list[ConsentState] = []
    for purpose in ConsentPurpose:
        keys = sorted(k for k in rows if k[0] == purpose.value) or [(purpose.value, "")]
        for key in keys:
            history = tuple(rows.get(key, ()))
            states.append(
                ConsentState(
                    purpose.value,
                    str(purpose.label),
                    key[1],
                    history[0] if history else None,
                    names.get(key[1], key[1]),
                    history,
                )
            )
    return states


def has_recent_override(case: Case, user: User, *, now: datetime.datetime | None = None) -> bool:
    """Did this coordinator override follow-up consent for this case a moment ago?

    A decision she records after the override (e.g. a withdrawal) ends it at once.
    """
    since = (now or timezone.now()) - OVERRIDE_WINDOW
    latest = consent.current(case.client, ConsentPurpose.FOLLOW_UP)
    if latest is not None:
        since = max(since, latest.recorded_at)
    return ConsentOverride.objects.filter(
        case=case,
        purpose=ConsentPurpose.FOLLOW_UP,
        action=CONTACT_ACTION,
        coordinator=user,
        at__gt=since,
    ).exists()


def override_contact(
    acting_user: User, acting_membership: Membership, case: Case, case_key: bytes, reason: str
) -> ConsentOverride:
    """A coordinator's override of missing follow-up consent (stored, reason sealed, audited)."""
    return consent.override(
        acting_user,
        acting_membership,
        case,
        case_key,
        ConsentPurpose.FOLLOW_UP,
        CONTACT_ACTION,
        reason,
    )


def reveal_contact(acting_user: User, case: Case, *, basis: str) -> None:
    """Audit one showing of the client's contact details (``basis``: consent or override)."""
    with transaction.atomic():
        record(
            acting_user,
            "case.contact_reveal",
            organisation=case.organisation,
            target=case,
            person=case.client_id,
            basis=basis,
        )
