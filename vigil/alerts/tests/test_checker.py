"""The checker: exact matches through blind indexes, look-alike letters, only live
alerts, a rate limit per member, and an audit trail without the query."""

from __future__ import annotations

from typing import Any

from django.test import Client

from vigil.alerts import actions
from vigil.alerts.models import CheckerUse
from vigil.alerts.tests.helpers import OFFENDER_PHONE, published
from vigil.audit.models import AuditEvent
from vigil.conftest import World

CYRILLIC_PLATE = "АК 1234 КА"  # Cyrillic А, К: the alert stores Latin "AK1234KA"


def _check(client: Client, kind: str, value: str) -> Any:
    return client.post("/members/check/", {"kind": kind, "value": value})


def test_it_finds_a_latin_plate_typed_in_cyrillic_and_a_phone(world: World, signed_in: Any) -> None:
    published(world)
    published(world)
    client = signed_in("hotline")
    page = _check(client, "plate", CYRILLIC_PLATE).content.decode()
    assert "2" in page and "current notices" in page
    assert "appears in 2" in _check(client, "phone", OFFENDER_PHONE).content.decode()
    assert "does not appear" in _check(client, "phone", "+380671234568").content.decode()
    assert "does not appear" in _check(client, "badge", "AK1234KA").content.decode()  # kind matters
    # Typed as people write it in Ukraine, without the country code: the same number.
    assert "appears in 2" in _check(client, "phone", "067 123 4567").content.decode()
    assert "appears in 2" in _check(client, "phone", "(067) 123-45-67").content.decode()


def test_it_counts_only_live_alerts_of_her_organisation(world: World) -> None:
    alert = published(world)
    coordinator = world["coordinator"]
    assert actions.check_identifier(None, world.org.pk, "t:1", "phone", OFFENDER_PHONE) == 1
    assert actions.check_identifier(None, world.other_org.pk, "t:1", "phone", OFFENDER_PHONE) == 0
    actions.withdraw(coordinator.user, coordinator.membership, alert)
    assert actions.check_identifier(None, world.org.pk, "t:1", "phone", OFFENDER_PHONE) == 0


def test_it_limits_lookups_per_member_per_hour(world: World, signed_in: Any, settings: Any) -> None:
    settings.ALERTS_CHECKER_PER_HOUR = 3
    published(world)
    client = signed_in("caseworker")
    for _n in range(3):
        assert _check(client, "phone", OFFENDER_PHONE).status_code == 200
    assert _check(client, "phone", OFFENDER_PHONE).status_code == 429
    assert (
        signed_in("lawyer")
        .post("/members/check/", {"kind": "phone", "value": OFFENDER_PHONE})
        .status_code
        == 200
    )  # another member has her own allowance
    assert CheckerUse.objects.count() == 4


def test_it_audits_lookups_without_the_query(world: World, signed_in: Any) -> None:
    published(world)
    _check(signed_in("caseworker"), "plate", CYRILLIC_PLATE)
    (event,) = AuditEvent.objects.filter(action="checker.lookup")
    assert event.data == {"kind": "plate"}
    assert event.actor_id == world["caseworker"].user.pk
    dumped = str(list(AuditEvent.objects.values()))
    assert "1234" not in dumped
