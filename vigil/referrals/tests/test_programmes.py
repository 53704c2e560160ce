"""Coordinators set up programmes, partner police units and health services."""

from __future__ import annotations

import datetime
from typing import Any

from vigil.audit.models import AuditEvent
from vigil.conftest import World
from vigil.referrals.models import HealthService, PoliceUnit, Programme


def test_it_lets_a_coordinator_set_up_a_programme_the_liaison_can_refer_to(
    world: World, signed_in: Any
) -> None:
    client = signed_in("coordinator")
    client.post("/referrals/programmes/units/", {"name": "Podil police", "region": "UA-30"})
    client.post("/referrals/programmes/services/", {"name": "OST 3", "kind": "ost", "region": ""})
    unit, service = PoliceUnit.objects.get(), HealthService.objects.get()
    assert unit.organisation == world.org and service.kind == "ost"
    liaison = world["police_liaison"].user
    response = client.post(
        "/referrals/programmes/new/",
        {
            "name": "Night custody referrals",
            "starts_on": "2024-01-01",
            "routes": ["custody", "arrest"],
            "region": "UA-30",
            "police_units": [unit.pk],
            "services": [service.pk],
            "referrers": [liaison.pk],
            "on_call": world["referral"].user.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    programme = Programme.objects.get()
    assert programme.routes == ["custody", "arrest"] and programme.on_call == world["referral"].user
    assert list(programme.referrers.all()) == [liaison]
    assert AuditEvent.objects.filter(action="programme.save").get().data["referrers"] == 1
    form = signed_in("police_liaison").get("/referrals/police/new/").content.decode()
    assert "Night custody referrals" in form
    assert 'value="custody"' in form and 'value="community"' not in form


def test_it_offers_only_police_accounts_as_referrers(world: World, signed_in: Any) -> None:
    client = signed_in("coordinator")
    response = client.post(
        "/referrals/programmes/new/",
        {
            "name": "P",
            "starts_on": "2024-01-01",
            "routes": ["custody"],
            "referrers": [world["caseworker"].user.pk],
        },
    )
    assert response.status_code == 200 and not Programme.objects.exists()


def test_it_hides_a_programme_that_has_ended_from_the_police_form(
    world: World, programme: Programme, signed_in: Any
) -> None:
    programme.ends_on = datetime.date.today() - datetime.timedelta(days=1)
    programme.save()
    page = signed_in("police_liaison").get("/referrals/police/new/").content.decode()
    assert "not part of any diversion programme running today" in page


def test_it_keeps_other_organisations_units_out_of_the_choices(
    world: World, signed_in: Any
) -> None:
    PoliceUnit.objects.create(organisation=world.other_org, name="Almaty police")
    page = signed_in("coordinator").get("/referrals/programmes/new/").content.decode()
    assert "Almaty police" not in page
