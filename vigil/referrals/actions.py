"""Writes about diversion programmes and referrals.

Each runs in a transaction and writes exactly one audit event (codes and ids
only). The police side calls ``submit_referral`` and nothing else.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigil.accounts.models import Organisation, User
from vigil.audit.log import record
from vigil.cases import actions as case_actions
from vigil.cases.models import Case
from vigil.incidents import actions as incident_actions
from vigil.incidents.models import Person
from vigil.referrals.models import (
    FOLLOW_UP_DAYS,
    HealthService,
    PoliceUnit,
    Programme,
    Referral,
)
from vigil.vault import sealing

# No 0/O, 1/I/L, 5/S or 2/Z: the code is read out in a custody suite and copied by hand.
CODE_ALPHABET = "346789ABCDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


class StepError(Exception):
    """A step out of order (e.g. admission before a service was chosen)."""


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def save_programme(
    *,
    acting_user: User,
    organisation: Organisation,
    programme: Programme | None,
    fields: dict[str, Any],
    police_units: Iterable[PoliceUnit],
    services: Iterable[HealthService],
    referrers: Iterable[User],
) -> Programme:
    units, kept_services, people = list(police_units), list(services), list(referrers)
    with transaction.atomic():
        programme = programme or Programme(organisation=organisation)
        for name, value in fields.items():
            setattr(programme, name, value)
        programme.save()
        programme.police_units.set(units)
        programme.services.set(kept_services)
        programme.referrers.set(people)
        record(
            acting_user,
            "programme.save",
            organisation=organisation,
            target=programme,
            routes=list(programme.routes),
            units=len(units),
            services=len(kept_services),
            referrers=len(people),
        )
    return programme


def add_police_unit(
    *, acting_user: User, organisation: Organisation, name: str, region: str
) -> PoliceUnit:
    with transaction.atomic():
        unit = PoliceUnit.objects.create(organisation=organisation, name=name, region=region)
        record(acting_user, "police_unit.add", organisation=organisation, target=unit)
    return unit


def add_health_service(
    *, acting_user: User, organisation: Organisation, name: str, kind: str, region: str
) -> HealthService:
    with transaction.atomic():
        service = HealthService.objects.create(
            organisation=organisation, name=name, kind=kind, region=region
        )
        record(
            acting_user, "health_service.add", organisation=organisation, target=service, kind=kind
        )
    return service


def submit_referral(
    *,
    acting_user: User,
    programme: Programme,
    route: str,
    referred_on: datetime.date,
    referred_hour: int,
    region: str,
    district: str,
    reasons: list[str],
    contact_agreed: bool,
    sealed: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Referral:
    """A new referral. Written with the organisation's public key only: the police
    side holds no key and enters nothing that identifies the person."""
    if route not in programme.routes:
        raise StepError(_("This programme does not accept that route."))
    organisation = programme.organisation
    for _attempt in range(5):
        try:
            with transaction.atomic():
                referral = Referral(
                    organisation=organisation,
                    programme=programme,
                    code=new_code(),
                    route=route,
                    referred_on=referred_on,
                    referred_hour=referred_hour,
                    region=region,
                    district=district.strip(),
                    reasons=sorted(set(reasons)),
                    contact_agreed=contact_agreed,
                    created_by=acting_user,
                    created_at=now or timezone.now(),
                )
                key = referral.ensure_data_key(organisation)
                referral.sealed = sealing.seal_json(key, sealed or {})
                referral.linked = bool((sealed or {}).get("person"))
                referral.save()
                record(
                    acting_user,
                    "referral.created",
                    organisation=organisation,
                    target=referral,
                    programme=programme.pk,
                    route=route,
                )
            return referral
        except IntegrityError:  # the one-in-10^11 code collision: draw again
            continue
    raise RuntimeError("could not draw a free referral code")


def _step(
    acting_user: User, referral: Referral, action: str, fields: list[str], **detail: Any
) -> None:
    referral.save(update_fields=fields)
    record(acting_user, action, organisation=referral.organisation, target=referral, **detail)


def claim(*, acting_user: User, referral: Referral) -> None:
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.claimed_at is not None:
            raise StepError(_("Another worker has already taken this referral."))
        referral.claimed_by, referral.claimed_at = acting_user, timezone.now()
        _step(acting_user, referral, "referral.claim", ["claimed_by", "claimed_at"])


def record_arrival(*, acting_user: User, referral: Referral) -> None:
    if referral.arrived_at is not None:
        raise StepError(_("Arrival is already recorded."))
    with transaction.atomic():
        referral.arrived_at = timezone.now()
        if referral.claimed_at is None:
            referral.claimed_by, referral.claimed_at = acting_user, referral.arrived_at
        minutes = int((referral.arrived_at - referral.created_at).total_seconds() // 60)
        _step(
            acting_user,
            referral,
            "referral.arrival",
            ["arrived_at", "claimed_by", "claimed_at"],
            minutes=minutes,
        )


def record_contact(*, acting_user: User, referral: Referral) -> None:
    if referral.contacted_at is not None:
        raise StepError(_("First contact is already recorded."))
    with transaction.atomic():
        referral.contacted_at = timezone.now()
        _step(acting_user, referral, "referral.contact", ["contacted_at"])


def _sealed(referral: Referral, key: bytes) -> dict[str, Any]:
    return dict(sealing.open_json(key, referral.sealed, {}))


def record_assessment(
    *, acting_user: User, referral: Referral, key: bytes, needs: list[str], notes: str
) -> None:
    if referral.contacted_at is None:
        raise StepError(_("Record the first contact before the assessment."))
    with transaction.atomic():
        data = _sealed(referral, key)
        data["notes"] = notes.strip()
        referral.sealed = sealing.seal_json(key, data)
        referral.needs = sorted(set(needs))
        referral.assessed_at = referral.assessed_at or timezone.now()
        _step(
            acting_user,
            referral,
            "referral.assessment",
            ["sealed", "needs", "assessed_at"],
            needs=referral.needs,
        )


def link_person(
    *, acting_user: User, referral: Referral, key: bytes, person: Person, created: bool = False
) -> None:
    if person.organisation_id != referral.organisation_id:
        raise ValueError("person of another organisation")
    with transaction.atomic():
        data = _sealed(referral, key)
        data["person"] = person.pk
        referral.sealed = sealing.seal_json(key, data)
        referral.linked = True
        _step(
            acting_user,
            referral,
            "referral.link_person",
            ["sealed", "linked"],
            person=person.pk,
            created=created,
        )


def create_and_link_person(
    *,
    acting_user: User,
    referral: Referral,
    key: bytes,
    index_key: bytes,
    pseudonym: str,
    legal_name: str,
    phone: str,
) -> Person:
    with transaction.atomic():
        person = incident_actions.create_person(
            acting_user,
            referral.organisation,
            index_key,
            pseudonym=pseudonym,
            sealed={"legal_name": legal_name, "phone": phone},
        )
        link_person(
            acting_user=acting_user, referral=referral, key=key, person=person, created=True
        )
    return person


def open_case(*, acting_user: User, referral: Referral, key: bytes, person: Person) -> Case:
    """Open a case for the linked person through the case module's own action."""
    with transaction.atomic():
        new = case_actions.open_case(acting_user, person)
        data = _sealed(referral, key)
        data["case"] = new.case.pk
        referral.sealed = sealing.seal_json(key, data)
        _step(acting_user, referral, "referral.open_case", ["sealed"], case=new.case.pk)
    return new.case


def refer_to_service(
    *, acting_user: User, referral: Referral, service: HealthService, on: datetime.date
) -> None:
    if service.organisation_id != referral.organisation_id:
        raise ValueError("service of another organisation")
    with transaction.atomic():
        referral.service, referral.service_kind = service, service.kind
        referral.service_referred_on = on
        _step(
            acting_user,
            referral,
            "referral.service",
            ["service", "service_kind", "service_referred_on"],
            kind=service.kind,
        )


def record_admission(*, acting_user: User, referral: Referral, on: datetime.date) -> None:
    if referral.service_id is None or referral.service_referred_on is None:
        raise StepError(_("Record the referral to a service first."))
    if on < referral.service_referred_on:
        raise StepError(_("Admission cannot come before the referral to the service."))
    with transaction.atomic():
        referral.admitted_on = on
        _step(acting_user, referral, "referral.admitted", ["admitted_on"])


def record_retention(
    *, acting_user: User, referral: Referral, day: int, retained: bool, source: str
) -> None:
    if day not in FOLLOW_UP_DAYS:
        raise ValueError("unknown follow-up")
    if referral.admitted_on is None:
        raise StepError(_("Retention is counted from admission: record it first."))
    with transaction.atomic():
        setattr(referral, f"retained_{day}", retained)
        setattr(referral, f"source_{day}", source)
        _step(
            acting_user,
            referral,
            "referral.retention",
            [f"retained_{day}", f"source_{day}"],
            day=day,
            retained=retained,
            source=source,
        )


def close(*, acting_user: User, referral: Referral, reason: str, on: datetime.date) -> None:
    if referral.closed_on is not None:
        raise StepError(_("This referral is already closed."))
    with transaction.atomic():
        referral.closed_on, referral.close_reason = on, reason
        _step(acting_user, referral, "referral.close", ["closed_on", "close_reason"], reason=reason)
