"""Consent enforced in code (DESIGN.md section 6).

``require`` refuses an action whose consent is missing. A coordinator may
override with a reason; the override is stored (reason sealed) and audited,
and only then does the action proceed.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from vigil import policy
from vigil.accounts.models import Membership, User
from vigil.audit.log import record
from vigil.cases.models import Case, Consent, ConsentOverride, ConsentPurpose
from vigil.incidents.models import Event, Person
from vigil.policy import Perm
from vigil.vault import sealing


class ConsentMissing(Exception):
    """The action needs a consent the person has not given (or has withdrawn)."""

    def __init__(self, purpose: str, body: str = "") -> None:
        self.purpose = purpose
        self.body = body
        label = ConsentPurpose(purpose).label
        super().__init__(
            str(_("This needs the client's consent: %(purpose)s.") % {"purpose": label})
        )


def current(person: Person, purpose: str, body: str = "") -> Consent | None:
    """The latest decision for this purpose (and body), or None if never asked."""
    return (
        Consent.objects.filter(person=person, purpose=purpose, body=body)
        .order_by("-recorded_at", "-pk")
        .first()
    )


def has(person: Person, purpose: str, body: str = "") -> bool:
    latest = current(person, purpose, body)
    return latest is not None and latest.granted


def require(person: Person, purpose: str, body: str = "") -> None:
    if not has(person, purpose, body):
        raise ConsentMissing(purpose, body)


def record_consent(
    acting_user: User, person: Person, purpose: str, granted: bool, body: str = ""
) -> Consent:
    """Add a decision; earlier rows stay as they were (withdrawal = a new row)."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(purpose)
    with transaction.atomic():
        consent = Consent.objects.create(
            organisation=person.organisation,
            person=person,
            purpose=purpose,
            body=body,
            granted=granted,
            recorded_by=acting_user,
        )
        if purpose == ConsentPurpose.STATISTICS:
            _refresh_stats_flag(person)
        if purpose == ConsentPurpose.MATCHING and not granted:
            # Imported here: matching builds on cases, not the other way round.
            from vigil.matching.actions import withdraw_for_person

            withdraw_for_person(acting_user, person)
        record(
            acting_user,
            "consent.record",
            organisation=person.organisation,
            target=consent,
            purpose=purpose,
            granted=granted,
            body=body,
        )
    return consent


def _refresh_stats_flag(person: Person) -> None:
    """An event counts when every victim in it consents to statistics."""
    event_ids = set(person.acts.values_list("event_id", flat=True))
    for event in Event.objects.filter(pk__in=event_ids):
        victims = Person.objects.filter(acts__event=event).distinct()
        flag = all(has(victim, ConsentPurpose.STATISTICS) for victim in victims)
        Event.objects.filter(pk=event.pk).update(stats_consent=flag)


def override(
    acting_user: User,
    acting_membership: Membership,
    case: Case,
    case_key: bytes,
    purpose: str,
    action: str,
    reason: str,
) -> ConsentOverride:
    """Record a coordinator's override. Raises PermissionError for anyone else."""
    if not policy.can_in(acting_membership, Perm.OVERRIDE_CONSENT, case.organisation_id):
        raise PermissionError("only a coordinator of the case's organisation may override consent")
    if len(reason.strip()) < 10:
        raise ValueError("a reason of at least 10 characters is required")
    with transaction.atomic():
        row = ConsentOverride.objects.create(
            case=case,
            purpose=purpose,
            action=action,
            coordinator=acting_user,
            sealed_reason=sealing.seal_text(case_key, reason.strip()),
        )
        record(
            acting_user,
            "consent.override",
            organisation=case.organisation,
            target=row,
            purpose=purpose,
            action=action,
            case=case.pk,
        )
    return row


def has_override(case: Case, purpose: str, action: str) -> bool:
    return ConsentOverride.objects.filter(case=case, purpose=purpose, action=action).exists()
