"""Recomputing blind indexes after the normalisation changed (``crypto.normalise``).

A blind index is a keyed hash of the normalised value, so when the
normalisation improves, rows indexed before no longer meet rows indexed
after. Recomputing needs the sealed values, hence the organisation's private
key: a coordinator runs it while her key is unlocked, from the officers
settings page or with ``manage.py reindex_blind --organisation SLUG``.
Everything is rewritten in one transaction, so a crash leaves the old indexes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.incidents.actions import PERPETRATOR_INDEXES, PERSON_INDEXES
from vigil.incidents.models import Perpetrator, Person
from vigil.officers import importer
from vigil.officers.models import ComplaintRegister, ExternalComplaint
from vigil.vault import crypto
from vigil.vault.keys import organisation_public_key

BATCH = 1000
Progress = Callable[[str, int, int], None]


@dataclass
class Counts:
    people: int = 0
    perpetrators: int = 0
    complaints: int = 0


def _open(
    org_private: bytes, sealed_key: bytes | memoryview | None, blob: bytes | memoryview | None
) -> dict[str, Any]:
    if not sealed_key or not blob:
        return {}
    try:
        key = crypto.unseal(org_private, bytes(sealed_key))
        return dict(crypto.decrypt_json(key, bytes(blob)))
    except crypto.CryptoError:  # shredded: nothing to index
        return {}


def _people(
    organisation: Organisation, org_private: bytes, index_key: bytes, tick: Progress
) -> int:
    rows = Person.objects.filter(organisation=organisation).only("pk", "sealed_key", "sealed")
    total, changed, batch = rows.count(), 0, []
    columns = [column for _kind, column in PERSON_INDEXES.values()]
    for done, person in enumerate(rows.order_by("pk").iterator(chunk_size=BATCH), start=1):
        values = _open(org_private, person.sealed_key, person.sealed)
        for field, (kind, column) in PERSON_INDEXES.items():
            value = str(values.get(field, "") or "")
            setattr(
                person,
                column,
                crypto.blind_index(index_key, kind, value, region=organisation.country),
            )
        batch.append(person)
        if len(batch) >= BATCH or done == total:
            changed += len(batch)
            Person.objects.bulk_update(batch, columns)
            batch = []
            tick("people", done, total)
    return changed


def _perpetrators(
    organisation: Organisation, org_private: bytes, index_key: bytes, tick: Progress
) -> int:
    rows = Perpetrator.objects.filter(event__organisation=organisation).select_related("event")
    total, changed, batch = rows.count(), 0, []
    columns = [column for _kind, column in PERPETRATOR_INDEXES.values()]
    event_keys: dict[int, bytes | None] = {}
    for done, perpetrator in enumerate(
        rows.order_by("event_id", "pk").iterator(chunk_size=BATCH), 1
    ):
        if perpetrator.event_id not in event_keys:
            sealed_key = perpetrator.event.sealed_key
            event_keys.clear()  # ordered by event: one key at a time is enough
            event_keys[perpetrator.event_id] = (
                crypto.unseal(org_private, bytes(sealed_key)) if sealed_key else None
            )
        key = event_keys[perpetrator.event_id]
        values = (
            {}
            if key is None or not perpetrator.sealed
            else crypto.decrypt_json(key, bytes(perpetrator.sealed))
        )
        for field, (kind, column) in PERPETRATOR_INDEXES.items():
            value = str(values.get(field, "") or "")
            setattr(
                perpetrator,
                column,
                crypto.blind_index(index_key, kind, value, region=organisation.country),
            )
        batch.append(perpetrator)
        if len(batch) >= BATCH or done == total:
            changed += len(batch)
            Perpetrator.objects.bulk_update(batch, columns)
            batch = []
            tick("perpetrators", done, total)
    return changed


def _complaints(
    organisation: Organisation, org_private: bytes, index_key: bytes, tick: Progress
) -> int:
    registers = ComplaintRegister.objects.filter(organisation=organisation)
    total = ExternalComplaint.objects.filter(organisation=organisation).count()
    done = 0
    columns = ["name_bidx", "badge_bidx", "identity_bidx"]
    for register in registers.order_by("pk"):
        if not register.sealed_key:
            continue
        key = crypto.unseal(org_private, bytes(register.sealed_key))
        plan = importer.Plan(register.mapping, list(register.identity), True, organisation.country)
        reader = importer.Combiner(plan, index_key)
        batch = []
        for row in register.complaints.order_by("pk").iterator(chunk_size=BATCH):
            values = crypto.decrypt_json(key, bytes(row.sealed)) if row.sealed else {}
            row.name_bidx = crypto.blind_index(
                index_key, "name", values.get("name", ""), region=organisation.country
            )
            row.badge_bidx = crypto.blind_index(
                index_key, "badge", values.get("badge", ""), region=organisation.country
            )
            row.identity_bidx = reader.identity_bidx(
                values, row.region, row.name_bidx, row.badge_bidx
            )
            batch.append(row)
            done += 1
            if len(batch) >= BATCH:
                ExternalComplaint.objects.bulk_update(batch, columns)
                batch = []
                tick("complaints", done, total)
        ExternalComplaint.objects.bulk_update(batch, columns)
        tick("complaints", done, total)
    return done


def reindex_organisation(
    acting_user: User | None,
    organisation: Organisation,
    org_private: bytes,
    *,
    progress: Progress | None = None,
    via: str = "web",
) -> Counts:
    """Recompute every blind index of the organisation from its sealed values."""
    if crypto.public_of(org_private) != organisation_public_key(organisation):
        raise ValueError("this private key does not belong to the organisation")
    index_key = crypto.blind_index_key(org_private)
    tick: Progress = progress or (lambda _what, _done, _total: None)
    with transaction.atomic():
        counts = Counts(
            people=_people(organisation, org_private, index_key, tick),
            perpetrators=_perpetrators(organisation, org_private, index_key, tick),
            complaints=_complaints(organisation, org_private, index_key, tick),
        )
        record(
            acting_user,
            "officer.reindex",
            organisation=organisation,
            people=counts.people,
            perpetrators=counts.perpetrators,
            complaints=counts.complaints,
            via=via,
        )
    return counts
