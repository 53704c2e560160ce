"""Policy-scoped reads and the unsealing of what referral pages show."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from vigil import policy
from vigil.cases.models import Case
from vigil.incidents import filters as incident_filters
from vigil.incidents.models import Person
from vigil.lib.requests import as_staff
from vigil.referrals.models import FOLLOW_UP_DAYS, Referral
from vigil.vault import crypto, sealing
from vigil.vault.crypto import CryptoError


@dataclass(frozen=True)
class QueueRow:
    referral: Referral
    waiting_minutes: int


def waiting_minutes(referral: Referral, now: datetime.datetime) -> int:
    end = referral.arrived_at or now
    return max(int((end - referral.created_at).total_seconds() // 60), 0)


def queue(request: HttpRequest) -> dict[str, list[QueueRow]]:
    """New (unclaimed) referrals, oldest first, and the open ones this worker claimed."""
    now = timezone.now()
    open_ = policy.referrals_for(request).filter(closed_on__isnull=True).select_related("programme")
    new = open_.filter(claimed_at__isnull=True).order_by("created_at", "pk")
    mine = open_.filter(claimed_by_id=request.user.pk, admitted_on__isnull=True).order_by(
        "created_at", "pk"
    )
    return {
        "new": [QueueRow(r, waiting_minutes(r, now)) for r in new[:200]],
        "mine": [QueueRow(r, waiting_minutes(r, now)) for r in mine[:200]],
    }


def follow_ups_due(referrals: QuerySet[Referral], today: datetime.date) -> QuerySet[Referral]:
    """Admitted, open referrals with a 30/90/180-day follow-up due and not recorded."""
    due = Q()
    for day in FOLLOW_UP_DAYS:
        due |= Q(
            **{f"retained_{day}__isnull": True},
            admitted_on__lte=today - datetime.timedelta(days=day),
        )
    return referrals.filter(due, closed_on__isnull=True, admitted_on__isnull=False)


@dataclass(frozen=True)
class Opened:
    key: bytes | None
    notes: str
    person: Person | None
    person_name: str
    case: Case | None


def opened(request: HttpRequest, referral: Referral) -> Opened:
    """The sealed part of a referral; empty when this session holds no key."""
    try:
        key = policy.data_key(request, referral)
    except CryptoError:
        return Opened(None, "", None, "", None)
    data: dict[str, Any] = sealing.open_json(key, referral.sealed, {})
    person = policy.referral_people_for(request).filter(pk=data.get("person") or 0).first()
    name = ""
    if person is not None:
        try:
            person_data = sealing.open_json(policy.data_key(request, person), person.sealed, {})
            name = str(person_data.get("legal_name") or "")
        except CryptoError:
            name = ""
    case = Case.objects.filter(
        pk=data.get("case") or 0, organisation_id=referral.organisation_id
    ).first()
    return Opened(key, str(data.get("notes") or ""), person, name, case)


def data_key(request: HttpRequest, referral: Referral) -> bytes:
    return policy.data_key(request, referral)


def find_people(request: HttpRequest, query: str) -> list[Person]:
    """Exact matches of a name or phone through the blind indexes (never a scan)."""
    index_key = policy.referral_index_key(request)
    country = as_staff(request).membership.organisation.country
    names = {crypto.blind_index(index_key, "name", query, region=country)} - {""}
    phones = {
        crypto.blind_index(index_key, "phone", form, region=country)
        for form in incident_filters.phone_forms(country, query)
    } - {""}
    match = Q(name_bidx__in=names) | Q(phone_bidx__in=phones)
    return list(policy.referral_people_for(request).filter(match).order_by("pseudonym", "pk")[:20])


def get_person(request: HttpRequest, pk: int) -> Person | None:
    return policy.referral_people_for(request).filter(pk=pk).first()
