"""Writes about incidents. Each runs in a transaction and writes the audit log.

Callers pass the event's data key (opened through the policy module) and,
where identifiers are stored, the organisation's blind-index key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.incidents.models import (
    Act,
    Event,
    EventStatus,
    Involvement,
    Perpetrator,
    Person,
    Source,
)
from vigil.lib.numbering import next_number
from vigil.vault import crypto, sealing
from vigil.vocab.models import Term

EVENT_FIELDS = ("title", "summary", "narrative", "city", "place_detail")
PERSON_FIELDS = ("legal_name", "phone", "address", "contact_notes")
PERPETRATOR_FIELDS = ("name", "badge", "plate", "phone", "agency", "unit", "rank", "description")
# sealed field -> blind-index kind and column
PERSON_INDEXES = {"legal_name": ("name", "name_bidx"), "phone": ("phone", "phone_bidx")}
PERPETRATOR_INDEXES = {
    "name": ("name", "name_bidx"),
    "badge": ("badge", "badge_bidx"),
    "plate": ("plate", "plate_bidx"),
    "phone": ("phone", "phone_bidx"),
}


def _only(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    return {f: str(data.get(f) or "").strip() for f in fields}


def _indexes(
    index_key: bytes,
    values: dict[str, str],
    spec: dict[str, tuple[str, str]],
    *,
    region: str | None,
) -> dict[str, str]:
    """``region``: the organisation's country, the default region of national phone numbers."""
    return {
        column: crypto.blind_index(index_key, kind, values.get(field, ""), region=region)
        for field, (kind, column) in spec.items()
    }


@dataclass(frozen=True)
class NewEvent:
    event: Event
    key: bytes


def start_event(acting_user: User, organisation: Organisation, **clear: Any) -> NewEvent:
    """Create a draft event; the wizard fills it step by step."""
    with transaction.atomic():
        event = Event(organisation=organisation, created_by=acting_user, **clear)
        key = event.ensure_data_key(organisation)
        event.number = next_number(Event, organisation.pk)
        event.sealed = sealing.seal_json(key, {})
        event.save()
        record(acting_user, "event.start", organisation=organisation, target=event)
    return NewEvent(event, key)


def save_event(
    acting_user: User, event: Event, key: bytes, sealed: dict[str, Any], **clear: Any
) -> None:
    """Update clear fields and the sealed JSON (title, summary, narrative ...)."""
    with transaction.atomic():
        current = sealing.open_json(key, event.sealed, {})
        current.update(_only(sealed, tuple(k for k in EVENT_FIELDS if k in sealed)))
        event.sealed = sealing.seal_json(key, current)
        for name, value in clear.items():
            setattr(event, name, value)
        event.save()
        record(
            acting_user,
            "event.update",
            organisation=event.organisation,
            target=event,
            fields=sorted(clear),
        )


def set_wizard_step(event: Event, step: str) -> None:
    Event.objects.filter(pk=event.pk).update(wizard_step=step)
    event.wizard_step = step


def finish_event(acting_user: User, event: Event) -> None:
    with transaction.atomic():
        event.status = EventStatus.RECORDED
        event.wizard_step = "review"
        event.save(update_fields=["status", "wizard_step", "updated_at"])
        record(acting_user, "event.record", organisation=event.organisation, target=event)


def create_person(
    acting_user: User,
    organisation: Organisation,
    index_key: bytes | None,
    *,
    pseudonym: str,
    sealed: dict[str, Any] | None = None,
    **clear: Any,
) -> Person:
    """A victim/client. Without an index key (anonymous intake) indexes wait for triage."""
    sealed = _only(sealed or {}, PERSON_FIELDS)
    characteristics = clear.pop("characteristics", None)
    with transaction.atomic():
        person = Person(
            organisation=organisation, pseudonym=pseudonym, created_by=acting_user, **clear
        )
        key = person.ensure_data_key(organisation)
        person.sealed = sealing.seal_json(key, sealed)
        if index_key is not None:
            for column, value in _indexes(
                index_key, sealed, PERSON_INDEXES, region=organisation.country
            ).items():
                setattr(person, column, value)
        person.save()
        if characteristics is not None:
            person.characteristics.set(characteristics)
        record(acting_user, "person.create", organisation=organisation, target=person)
    return person


def update_person(
    acting_user: User,
    person: Person,
    key: bytes,
    index_key: bytes,
    *,
    sealed: dict[str, Any],
    **clear: Any,
) -> None:
    characteristics = clear.pop("characteristics", None)
    with transaction.atomic():
        values = _only(sealed, PERSON_FIELDS)
        person.sealed = sealing.seal_json(key, values)
        for column, value in _indexes(
            index_key, values, PERSON_INDEXES, region=person.organisation.country
        ).items():
            setattr(person, column, value)
        for name, value in clear.items():
            setattr(person, name, value)
        person.save()
        if characteristics is not None:
            person.characteristics.set(characteristics)
        record(acting_user, "person.update", organisation=person.organisation, target=person)


def add_act(
    acting_user: User,
    event: Event,
    *,
    victim: Person,
    act_type: Term,
    methods: list[Term] | None = None,
    consequences: list[Term] | None = None,
    status_at_end: Term | None = None,
) -> Act:
    if victim.organisation_id != event.organisation_id:
        raise ValueError("victim belongs to another organisation")
    with transaction.atomic():
        act = Act.objects.create(
            event=event, victim=victim, act_type=act_type, status_at_end=status_at_end
        )
        act.methods.set(methods or [])
        act.consequences.set(consequences or [])
        record(
            acting_user,
            "act.add",
            organisation=event.organisation,
            target=act,
            act_type=act_type.code,
        )
    return act


def remove_act(acting_user: User, act: Act) -> None:
    with transaction.atomic():
        record(acting_user, "act.remove", organisation=act.event.organisation, target=act)
        act.delete()


def add_perpetrator(
    acting_user: User,
    event: Event,
    key: bytes,
    index_key: bytes,
    *,
    perpetrator_type: Term | None,
    sealed: dict[str, Any],
    acts: list[Act] | None = None,
    degree: Term | None = None,
) -> Perpetrator:
    values = _only(sealed, PERPETRATOR_FIELDS)
    with transaction.atomic():
        perpetrator = Perpetrator(
            event=event,
            perpetrator_type=perpetrator_type,
            sealed=sealing.seal_json(key, values),
            **_indexes(index_key, values, PERPETRATOR_INDEXES, region=event.organisation.country),
        )
        perpetrator.save()
        for act in acts or []:
            Involvement.objects.create(act=act, perpetrator=perpetrator, degree=degree)
        record(acting_user, "perpetrator.add", organisation=event.organisation, target=perpetrator)
    return perpetrator


def remove_perpetrator(acting_user: User, perpetrator: Perpetrator) -> None:
    with transaction.atomic():
        record(
            acting_user,
            "perpetrator.remove",
            organisation=perpetrator.event.organisation,
            target=perpetrator,
        )
        perpetrator.delete()


def add_source(
    acting_user: User,
    event: Event,
    key: bytes,
    *,
    source_type: Term | None,
    reliability: Term | None,
    sealed: dict[str, Any],
) -> Source:
    values = _only(sealed, ("name", "contact", "notes"))
    with transaction.atomic():
        source = Source.objects.create(
            event=event,
            source_type=source_type,
            reliability=reliability,
            sealed=sealing.seal_json(key, values),
        )
        record(acting_user, "source.add", organisation=event.organisation, target=source)
    return source


def qualify_violation(acting_user: User, event: Event, status: Term) -> None:
    """The lawyer's qualification of whether the acts amount to a violation."""
    if status.list != "violation_status":
        raise ValueError("not a violation status term")
    with transaction.atomic():
        old = event.violation_status.code if event.violation_status else ""
        event.violation_status = status
        event.save(update_fields=["violation_status", "updated_at"])
        record(
            acting_user,
            "event.qualify",
            organisation=event.organisation,
            target=event,
            old=old,
            new=status.code,
        )


def shred_event(acting_user: User, event: Event) -> None:
    """Crypto-shredding: destroy the data key; sealed content becomes noise.

    What would still link the incident to an officer goes too: the blind
    indexes of its perpetrators (officer profiles and repeat lists would
    otherwise keep counting it) and its matching entries (withdrawn from the
    matching service like a withdrawn consent).
    """
    # Imported here: matching builds on incidents, not the other way round.
    from vigil.matching.actions import withdraw_for_event

    with transaction.atomic():
        event.shred()
        event.save(update_fields=["sealed_key", "updated_at"])
        event.perpetrators.update(name_bidx="", badge_bidx="", plate_bidx="", phone_bidx="")
        record(acting_user, "event.shred", organisation=event.organisation, target=event)
        withdraw_for_event(acting_user, event, reason="shred")
