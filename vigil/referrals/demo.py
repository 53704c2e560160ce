"""Demo diversion programmes for `make run` (never in production).

The first reproduces the figures of the Vilnius police referral scheme of 2010:
121 people referred by the police between August and December, 117 of them
admitted into opioid substitution therapy. The second is a smaller, current
community-diversion programme with a realistic drop-out at each stage and two
referrals still waiting in the queue.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from vigil.accounts.models import Membership, Organisation, Role, User
from vigil.referrals.actions import new_code
from vigil.referrals.models import (
    CloseReason,
    HealthService,
    InfoSource,
    Need,
    PoliceUnit,
    Programme,
    Reason,
    Referral,
    Route,
)
from vigil.vault import sealing

VILNIUS = "Custody-suite referral (Vilnius 2010 figures)"
COMMUNITY = "Community diversion (LEAD model)"
DISTRICTS = ["Shevchenkivskyi", "Podilskyi", "Obolonskyi", "Darnytskyi", "Solomianskyi"]


@dataclass(frozen=True)
class Path:
    """How far one demo referral got."""

    contacted: bool = True
    assessed: bool = True
    admitted: str = ""  # service kind, "" when not admitted
    retained_30: bool | None = None
    retained_90: bool | None = None
    closed: str = ""


def vilnius_paths() -> list[Path]:
    """121 referred, 117 admitted to OST; 4 who did not get there."""
    paths = [Path(contacted=True, assessed=False, closed=CloseReason.DECLINED)]
    paths += [Path(closed=CloseReason.DECLINED), Path(closed=CloseReason.DECLINED)]
    paths += [Path(closed=CloseReason.NOT_ELIGIBLE)]
    for i in range(117):
        paths.append(Path(admitted=Need.OST, retained_30=i < 104, retained_90=i < 93))
    return paths


def community_paths() -> list[Path]:
    """A smaller programme: about a quarter reach treatment, as in the Russian schemes."""
    paths = [Path(contacted=False, assessed=False, closed=CloseReason.UNREACHABLE)] * 6
    paths += [Path(assessed=False, closed=CloseReason.DECLINED)] * 5
    paths += [Path(closed=CloseReason.DECLINED)] * 6
    paths += [Path(admitted=Need.OST, retained_30=True, retained_90=i < 3) for i in range(5)]
    paths += [Path(admitted=Need.NSP, retained_30=i < 2) for i in range(3)]
    return paths


def _setting(organisation: Organisation) -> tuple[list[HealthService], PoliceUnit]:
    ost, _c = HealthService.objects.get_or_create(
        organisation=organisation,
        name="City OST site No. 1",
        defaults={"kind": Need.OST, "region": "UA-30"},
    )
    nsp, _c = HealthService.objects.get_or_create(
        organisation=organisation,
        name="Mobile needle and syringe programme",
        defaults={"kind": Need.NSP, "region": "UA-30"},
    )
    unit, _c = PoliceUnit.objects.get_or_create(
        organisation=organisation,
        name="Shevchenkivskyi district police department",
        defaults={"region": "UA-30"},
    )
    return [ost, nsp], unit


def _member(organisation: Organisation, role: str) -> User | None:
    membership = (
        Membership.objects.filter(organisation=organisation, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _referral(
    organisation: Organisation,
    programme: Programme,
    day: datetime.date,
    path: Path,
    services: dict[str, HealthService],
    rng: random.Random,
    people: tuple[User | None, User | None],
) -> Referral:
    liaison, worker = people
    hour = rng.choice([1, 3, 9, 11, 14, 16, 19, 22])
    called = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 10)))
    arrived = called + datetime.timedelta(minutes=rng.randint(20, 75))
    route = Route.CUSTODY if programme.name == VILNIUS else rng.choice(programme.routes)
    referral = Referral(
        organisation=organisation,
        programme=programme,
        code=new_code(),
        route=route,
        referred_on=day,
        referred_hour=hour,
        region="UA-30",
        district=rng.choice(DISTRICTS),
        reasons=[rng.choice([Reason.POSSESSION, Reason.POSSESSION, Reason.PUBLIC_USE])],
        contact_agreed=path.contacted,
        created_by=liaison,
        created_at=called,
        claimed_by=worker,
        claimed_at=called + datetime.timedelta(minutes=3),
        arrived_at=arrived if path.contacted else None,
        contacted_at=arrived + datetime.timedelta(minutes=5) if path.contacted else None,
        assessed_at=arrived + datetime.timedelta(minutes=40) if path.assessed else None,
        needs=[Need.OST, Need.TESTING] if path.assessed else [],
    )
    key = referral.ensure_data_key(organisation)
    referral.sealed = sealing.seal_json(key, {})
    if path.admitted:
        service = services[path.admitted]
        referral.service, referral.service_kind = service, service.kind
        referral.service_referred_on = day + datetime.timedelta(days=1)
        referral.admitted_on = day + datetime.timedelta(days=rng.randint(2, 9))
        referral.retained_30, referral.retained_90 = path.retained_30, path.retained_90
        referral.source_30 = InfoSource.SERVICE if path.retained_30 is not None else ""
        referral.source_90 = InfoSource.SERVICE if path.retained_90 is not None else ""
    if path.closed:
        referral.closed_on = day + datetime.timedelta(days=rng.randint(1, 14))
        referral.close_reason = path.closed
    return referral


def _days(
    start: datetime.date, end: datetime.date, n: int, rng: random.Random
) -> list[datetime.date]:
    span = (end - start).days
    return sorted(start + datetime.timedelta(days=rng.randint(0, span)) for _ in range(n))


def _programme(
    organisation: Organisation,
    name: str,
    starts: datetime.date,
    ends: datetime.date | None,
    routes: list[str],
    unit: PoliceUnit,
    services: list[HealthService],
    people: tuple[User | None, User | None],
) -> Programme:
    programme = Programme.objects.create(
        organisation=organisation,
        name=name,
        starts_on=starts,
        ends_on=ends,
        routes=routes,
        region="UA-30",
        eligibility="Adults who use opioids, arrested or stopped for possession or use.",
        on_call=people[1],
    )
    programme.police_units.set([unit])
    programme.services.set(services)
    if people[0] is not None:
        programme.referrers.add(people[0])
    return programme


def create_demo_programmes(slug: str = "svitlo") -> int:
    """Create both demo programmes if missing; return the number of referrals added."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or Programme.objects.filter(organisation=organisation).exists():
        return 0
    rng = random.Random(2010)  # noqa: S311 - reproducible demo data, not a secret
    people = (_member(organisation, Role.POLICE_LIAISON), _member(organisation, Role.REFERRAL))
    with transaction.atomic():
        services, unit = _setting(organisation)
        by_kind = {s.kind: s for s in services}
        vilnius = _programme(
            organisation,
            VILNIUS,
            datetime.date(2010, 8, 1),
            datetime.date(2010, 12, 31),
            [Route.CUSTODY],
            unit,
            services,
            people,
        )
        rows = [
            _referral(organisation, vilnius, day, path, by_kind, rng, people)
            for day, path in zip(
                _days(datetime.date(2010, 8, 1), datetime.date(2010, 12, 31), 121, rng),
                vilnius_paths(),
                strict=True,
            )
        ]
        today = timezone.localdate()
        community = _programme(
            organisation,
            COMMUNITY,
            today - datetime.timedelta(days=365),
            None,
            [Route.ARREST, Route.SOCIAL, Route.COMMUNITY],
            unit,
            services,
            people,
        )
        paths = community_paths()
        days = _days(
            today - datetime.timedelta(days=300),
            today - datetime.timedelta(days=100),
            len(paths),
            rng,
        )
        rows += [
            _referral(organisation, community, day, path, by_kind, rng, people)
            for day, path in zip(days, paths, strict=True)
        ]
        for waiting in (35, 95):  # two still waiting for a worker
            fresh = _referral(
                organisation, community, today, Path(False, False), by_kind, rng, people
            )
            fresh.created_at = timezone.now() - datetime.timedelta(minutes=waiting)
            fresh.claimed_by = fresh.claimed_at = None
            fresh.contact_agreed = True
            rows.append(fresh)
        Referral.objects.bulk_create(rows)
    return len(rows)
