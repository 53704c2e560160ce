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


# --- the Ugly Mugs consent ladder (National Ugly Mugs' reporting levels) ----------------
#
# Each level includes the ones below it. A level is not stored as such: choosing one
# records one ordinary, append-only decision per rung purpose (granted up to the level,
# refused above it), so every consent rule that reads purposes keeps working and old
# records (the former single "warn others" tick is the ``alert`` purpose) stay readable.

LISTEN = "listen"
LADDER: tuple[str, ...] = (
    ConsentPurpose.ALERT,
    ConsentPurpose.POLICE_ANONYMISED,
    ConsentPurpose.POLICE_ON_BEHALF,
    ConsentPurpose.POLICE_FULL,
)
LEVELS: list[tuple[str, object]] = [
    (LISTEN, _("Listen only: keep my report with you, do nothing else with it")),
    (ConsentPurpose.ALERT, _("Use it for an anonymous alert to warn other women")),
    (
        ConsentPurpose.POLICE_ANONYMISED,
        _("Also share it with the police without my name or anything that identifies me"),
    ),
    (ConsentPurpose.POLICE_ON_BEHALF, _("Also speak to the police for me about it")),
    (ConsentPurpose.POLICE_FULL, _("Also give the police my full report, with my name")),
]
LEVEL_VALUES: tuple[str, ...] = tuple(value for value, _label in LEVELS)


def purposes_of_level(level: str) -> dict[str, bool]:
    """The decision on each rung purpose that a level stands for."""
    if level not in LEVEL_VALUES:
        raise ValueError(level)
    reached = LEVEL_VALUES.index(level)  # 0 = listen only
    return {purpose: index < reached for index, purpose in enumerate(LADDER)}


def level_from_decisions(granted: set[str]) -> str:
    """The highest level whose rungs are all granted (a gap stops the climb)."""
    level = LISTEN
    for purpose in LADDER:
        if purpose not in granted:
            break
        level = str(purpose)
    return level


def level_of(person: Person) -> str:
    return level_from_decisions({str(p) for p in LADDER if has(person, p)})


def level_label(level: str) -> str:
    return str(dict(LEVELS).get(level, level))


def record_level(acting_user: User, person: Person, level: str) -> list[Consent]:
    """Record a level as one decision per rung; unchanged decisions are not repeated."""
    rows = []
    with transaction.atomic():
        for purpose, granted in purposes_of_level(level).items():
            latest = current(person, purpose)
            if latest is None or latest.granted != granted:
                rows.append(record_consent(acting_user, person, purpose, granted))
    return rows
