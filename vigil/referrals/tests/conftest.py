"""Fixtures of the referral tests: a programme the liaison persona may refer to."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from vigil.conftest import World
from vigil.referrals import actions
from vigil.referrals.models import HealthService, Need, Programme, Referral, Route


@pytest.fixture
def programme(world: World) -> Programme:
    coordinator = world["coordinator"].user
    organisation = world.org
    ost = actions.add_health_service(
        acting_user=coordinator,
        organisation=organisation,
        name="OST site",
        kind=Need.OST,
        region="",
    )
    nsp = actions.add_health_service(
        acting_user=coordinator, organisation=organisation, name="NSP", kind=Need.NSP, region=""
    )
    unit = actions.add_police_unit(
        acting_user=coordinator, organisation=organisation, name="District 3", region="UA-30"
    )
    return actions.save_programme(
        acting_user=coordinator,
        organisation=organisation,
        programme=None,
        fields={
            "name": "Custody referral",
            "starts_on": datetime.date(2020, 1, 1),
            "ends_on": None,
            "routes": [r.value for r in Route],
            "region": "UA-30",
            "on_call": world["referral"].user,
        },
        police_units=[unit],
        services=[ost, nsp],
        referrers=[world["police_liaison"].user],
    )


def service_of(programme: Programme, kind: str) -> HealthService:
    return programme.services.get(kind=kind)


def police_post(**overrides: Any) -> dict[str, Any]:
    today = datetime.date.today()
    data: dict[str, Any] = {
        "route": Route.CUSTODY,
        "referred_on": today.isoformat(),
        "referred_hour": "14",
        "region": "UA-30",
        "district": "Podil",
        "reasons": ["possession"],
        "contact_agreed": "on",
    }
    data.update(overrides)
    return data


def submit(client: Client, programme: Programme, **overrides: Any) -> Referral:
    before = set(Referral.objects.values_list("pk", flat=True))
    response = client.post(
        "/referrals/police/new/", {"programme": programme.pk, **police_post(**overrides)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (referral,) = Referral.objects.exclude(pk__in=before)
    return referral


def make_referral(world: World, programme: Programme, **fields: Any) -> Referral:
    today = datetime.date.today()
    values: dict[str, Any] = {
        "route": Route.CUSTODY,
        "referred_on": today,
        "referred_hour": 10,
        "region": "UA-30",
        "district": "Podil",
        "reasons": ["possession"],
        "contact_agreed": True,
    }
    values.update(fields)
    return actions.submit_referral(
        acting_user=world["police_liaison"].user, programme=programme, **values
    )
