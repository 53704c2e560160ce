"""Sealed bulk writes of checked rows: what the incident and case actions write, per chunk.

Going through ``incidents.actions`` row by row would write five audit events
and a dozen queries per row; an import of years of records writes the same
rows in bulk instead, sealed the same way (a data key per event, person and
case, sealed to the organisation's public key; perpetrators under the event's
key; blind indexes for names, phones, badges) and with one audit event per
committed chunk that says how many of each it created.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from vigil.accounts.models import Organisation, User
from vigil.cases.models import Case, ConsentPurpose, StatusChange
from vigil.cases.models import Consent as ConsentRow
from vigil.imports.models import ImportedRecord, ImportJob
from vigil.imports.rows import Row
from vigil.incidents.actions import (
    PERPETRATOR_FIELDS,
    PERPETRATOR_INDEXES,
    PERSON_FIELDS,
    PERSON_INDEXES,
    _indexes,
    _only,
)
from vigil.incidents.models import (
    Act,
    DatePrecision,
    Event,
    EventStatus,
    Involvement,
    Perpetrator,
    Person,
    SourceChannel,
)
from vigil.lib.numbering import next_number
from vigil.vault import crypto, sealing
from vigil.vault.keys import organisation_public_key

EXTERNAL_KIND = "external_id"


def external_index(index_key: bytes, external_id: str) -> str:
    return crypto.blind_index(index_key, EXTERNAL_KIND, external_id.strip().casefold())


@dataclass(frozen=True)
class Written:
    events: int = 0
    perpetrators: int = 0
    cases: int = 0
    skipped: int = 0


def _new_key(public: bytes) -> tuple[bytes, bytes]:
    key = crypto.new_key()
    return key, crypto.seal_to(public, key)


def write_rows(
    acting_user: User | None,
    organisation: Organisation,
    index_key: bytes,
    rows: Sequence[Row],
    job: ImportJob | None,
) -> Written:
    """Create the records of ``rows`` whose external identifier is new. Call inside the
    chunk's transaction (numbering locks the organisation row)."""
    indexes = {id(row): external_index(index_key, row.external_id) for row in rows}
    known = set(
        ImportedRecord.objects.filter(
            organisation=organisation, external_bidx__in=list(indexes.values())
        ).values_list("external_bidx", flat=True)
    )
    fresh = [row for row in rows if indexes[id(row)] not in known]
    if not fresh:
        return Written(skipped=len(rows))
    public = organisation_public_key(organisation)
    events, event_keys = _events(acting_user, organisation, public, fresh)
    people = _people(acting_user, organisation, public, index_key, fresh, events)
    acts = Act.objects.bulk_create(
        Act(
            event=event,
            victim=person,
            act_type_id=row.act_type_id,
            status_at_end_id=row.act_status_id,
        )
        for row, event, person in zip(fresh, events, people, strict=True)
    )
    perpetrators = _perpetrators(index_key, fresh, events, event_keys, acts, organisation.country)
    _consents(acting_user, organisation, fresh, people)
    cases = _cases(acting_user, organisation, public, fresh, events, people)
    ImportedRecord.objects.bulk_create(
        ImportedRecord(
            organisation=organisation, external_bidx=indexes[id(row)], event=event, job=job
        )
        for row, event in zip(fresh, events, strict=True)
    )
    return Written(len(events), perpetrators, cases, len(rows) - len(fresh))


def _events(
    acting_user: User | None, organisation: Organisation, public: bytes, rows: Sequence[Row]
) -> tuple[list[Event], list[bytes]]:
    first = next_number(Event, organisation.pk)
    events: list[Event] = []
    keys: list[bytes] = []
    for offset, row in enumerate(rows):
        key, sealed_key = _new_key(public)
        keys.append(key)
        events.append(
            Event(
                organisation=organisation,
                number=first + offset,
                status=EventStatus.RECORDED,
                wizard_step="review",
                start_date=row.date,
                start_precision=DatePrecision.EXACT,
                country=organisation.country,
                region=row.region,
                place_type_id=row.place_type_id,
                source_channel=SourceChannel.IMPORT,
                stats_consent=bool(row.statistics_consent),
                sealed=sealing.seal_json(key, {k: v for k, v in row.event_sealed.items() if v}),
                sealed_key=sealed_key,
                created_by=acting_user,
            )
        )
    return Event.objects.bulk_create(events), keys


def _people(
    acting_user: User | None,
    organisation: Organisation,
    public: bytes,
    index_key: bytes,
    rows: Sequence[Row],
    events: Sequence[Event],
) -> list[Person]:
    people: list[Person] = []
    for row, event in zip(rows, events, strict=True):
        key, sealed_key = _new_key(public)
        values = _only(row.victim_sealed, PERSON_FIELDS)
        people.append(
            Person(
                organisation=organisation,
                pseudonym=row.pseudonym or f"V-{event.number:05d}",
                sealed=sealing.seal_json(key, values),
                sealed_key=sealed_key,
                sex=row.sex,
                age_band=row.age_band,
                primary_group_id=row.primary_group_id,
                created_by=acting_user,
                **_indexes(index_key, values, PERSON_INDEXES, region=organisation.country),
            )
        )
    created = Person.objects.bulk_create(people)
    through = Person.characteristics.through
    through.objects.bulk_create(
        through(person_id=person.pk, term_id=row.primary_group_id)
        for row, person in zip(rows, created, strict=True)
        if row.primary_group_id
    )
    return created


def _perpetrators(
    index_key: bytes,
    rows: Sequence[Row],
    events: Sequence[Event],
    keys: Sequence[bytes],
    acts: Sequence[Act],
    region: str,
) -> int:
    made: list[Perpetrator] = []
    their_acts: list[Act] = []
    for row, event, key, act in zip(rows, events, keys, acts, strict=True):
        if not row.has_perpetrator:
            continue
        values = _only(row.perpetrator_sealed, PERPETRATOR_FIELDS)
        made.append(
            Perpetrator(
                event=event,
                perpetrator_type_id=row.perpetrator_type_id,
                sealed=sealing.seal_json(key, values),
                **_indexes(index_key, values, PERPETRATOR_INDEXES, region=region),
            )
        )
        their_acts.append(act)
    created = Perpetrator.objects.bulk_create(made)
    Involvement.objects.bulk_create(
        Involvement(act=act, perpetrator=perpetrator)
        for act, perpetrator in zip(their_acts, created, strict=True)
    )
    return len(created)


def _consents(
    acting_user: User | None,
    organisation: Organisation,
    rows: Sequence[Row],
    people: Sequence[Person],
) -> None:
    if acting_user is None:
        return
    ConsentRow.objects.bulk_create(
        ConsentRow(
            organisation=organisation,
            person=person,
            purpose=ConsentPurpose.STATISTICS,
            granted=bool(row.statistics_consent),
            recorded_by=acting_user,
        )
        for row, person in zip(rows, people, strict=True)
        if row.statistics_consent is not None
    )


def _cases(
    acting_user: User | None,
    organisation: Organisation,
    public: bytes,
    rows: Sequence[Row],
    events: Sequence[Event],
    people: Sequence[Person],
) -> int:
    wanted = [
        (row, event, person)
        for row, event, person in zip(rows, events, people, strict=True)
        if row.case_status
    ]
    if not wanted or acting_user is None:
        return 0
    first = next_number(Case, organisation.pk)
    cases: list[Case] = []
    for offset, (row, _event, person) in enumerate(wanted):
        key, sealed_key = _new_key(public)
        cases.append(
            Case(
                organisation=organisation,
                number=first + offset,
                client=person,
                status=row.case_status,
                sealed=sealing.seal_json(key, {}),
                sealed_key=sealed_key,
                opened_by=acting_user,
            )
        )
    created = Case.objects.bulk_create(cases)
    incidents = Case.incidents.through
    incidents.objects.bulk_create(
        incidents(case_id=case.pk, event_id=event.pk)
        for case, (_row, event, _person) in zip(created, wanted, strict=True)
    )
    assignees = Case.assignees.through
    assignees.objects.bulk_create(assignees(case_id=c.pk, user_id=acting_user.pk) for c in created)
    StatusChange.objects.bulk_create(
        StatusChange(case=case, from_status="", to_status=case.status, by=acting_user)
        for case in created
    )
    return len(created)
